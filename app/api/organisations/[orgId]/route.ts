import { route } from "@/lib/http/route";
import { deleteTeam, renameTeam } from "@/lib/teams/organisations";
import { orgParams, renameTeamSchema } from "@/lib/teams/schemas";

/** Renames a team `{ name?, slug? }` (owners and admins). */
export const PATCH = route({ params: orgParams, body: renameTeamSchema }, async ({ supabase, params, body }) => {
  const organisation = await renameTeam(supabase, { orgId: params.orgId, ...body });
  return Response.json({ organisation });
});

/** Deletes a team with its jobs and reports (owners); the audit log keeps a record. */
export const DELETE = route({ params: orgParams }, async ({ supabase, params }) => {
  await deleteTeam(supabase, params);
  return new Response(null, { status: 204 });
});
