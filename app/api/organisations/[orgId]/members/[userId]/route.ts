import { route } from "@/lib/http/route";
import { changeRole, removeMember } from "@/lib/teams/members";
import { changeRoleSchema, memberParams } from "@/lib/teams/schemas";

/** Changes a member's role `{ role }`: owners for anyone, admins for members and admins. */
export const PATCH = route({ params: memberParams, body: changeRoleSchema }, async ({ supabase, params, body }) => {
  const member = await changeRole(supabase, { ...params, role: body.role });
  return Response.json({ member });
});

/** Removes a member; the caller's own id is leaving. The last owner can do neither (409 `last_owner`). */
export const DELETE = route({ params: memberParams }, async ({ supabase, params }) => {
  await removeMember(supabase, params);
  return new Response(null, { status: 204 });
});
