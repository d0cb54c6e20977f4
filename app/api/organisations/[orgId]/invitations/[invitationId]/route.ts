import { route } from "@/lib/http/route";
import { revokeInvitation } from "@/lib/teams/invitations";
import { invitationParams } from "@/lib/teams/schemas";

/** Revokes a pending invitation: its link stops working (owners and admins). */
export const DELETE = route({ params: invitationParams }, async ({ supabase, params }) => {
  await revokeInvitation(supabase, params);
  return new Response(null, { status: 204 });
});
