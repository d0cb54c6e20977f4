import { route } from "@/lib/http/route";
import { switchOrganisation } from "@/lib/teams/organisations";
import { switchOrganisationSchema } from "@/lib/teams/schemas";

/**
 * Switches the organisation the caller acts in `{ orgId }`, kept in their profile so every
 * page and API call, on every device, follows it. One they aren't in is a 404.
 */
// The switch itself: a page showing another organisation may always make it.
export const PUT = route({ body: switchOrganisationSchema, allowStaleOrganisation: true }, async ({ supabase, user, body }) => {
  const organisation = await switchOrganisation(supabase, { userId: user.id, orgId: body.orgId });
  return Response.json({ organisation });
});
