import { route } from "@/lib/http/route";
import { listMembers } from "@/lib/teams/members";
import { orgParams } from "@/lib/teams/schemas";

/** The organisation's members `{ members }`, for anyone in it. */
export const GET = route({ params: orgParams }, async ({ supabase, params }) => {
  const members = await listMembers(supabase, params);
  return Response.json({ members });
});
