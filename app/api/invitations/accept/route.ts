import { route } from "@/lib/http/route";
import { acceptInvitation, joinedOrganisation } from "@/lib/teams/invitations";
import { acceptInvitationSchema } from "@/lib/teams/schemas";

/**
 * Accepts an invitation `{ token }` as the signed-in caller, who must be signed in with the
 * address it was sent to: they join the team, which becomes their current organisation.
 */
// Joins the invitation's team, whatever organisation the page was showing.
export const POST = route({ body: acceptInvitationSchema, allowStaleOrganisation: true }, async ({ supabase, service, user, body }) => {
  const orgId = await acceptInvitation(supabase, { token: body.token, email: user.email }, service());
  return Response.json({ organisation: await joinedOrganisation(supabase, { orgId }) });
});
