import { route } from "@/lib/http/route";
import { createTeam } from "@/lib/teams/organisations";
import { createTeamSchema } from "@/lib/teams/schemas";

/** Creates a team `{ name, slug }`: the caller is its owner and acts in it from now on. 409 `slug_taken`. */
// Acts in no current organisation (the new team becomes it), so a page showing an older one may ask.
export const POST = route({ body: createTeamSchema, allowStaleOrganisation: true }, async ({ supabase, body }) => {
  const organisation = await createTeam(supabase, body);
  return Response.json({ organisation }, { status: 201 });
});
