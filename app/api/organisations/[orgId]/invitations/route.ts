import { inngest } from "@/inngest/client";
import { invitationEventId, invitationSent } from "@/inngest/events";
import { route } from "@/lib/http/route";
import { inviteMember, listInvitations, queueInvitationEmail } from "@/lib/teams/invitations";
import { inviteSchema, orgParams } from "@/lib/teams/schemas";

/** The team's pending invitations `{ invitations }` (owners and admins). */
export const GET = route({ params: orgParams }, async ({ supabase, params }) => {
  const invitations = await listInvitations(supabase, params);
  return Response.json({ invitations });
});

/**
 * Invites `{ email, role }` and sends the email (the `send-invitation` function): 201, or
 * 200 when it replaced the address's pending invitation (a new link; the old one stops working).
 * Over the team's or the address's invitation limit: 429 with `Retry-After`, and nothing written.
 */
export const POST = route({ params: orgParams, body: inviteSchema }, async ({ supabase, service, user, params, body }) => {
  const { invitation, replaced, nonce } = await inviteMember(supabase, { orgId: params.orgId, ...body }, service());
  await queueInvitationEmail(invitation.id, () =>
    inngest.send(
      invitationSent.create(
        { orgId: params.orgId, userId: user.id, invitationId: invitation.id, nonce },
        { id: invitationEventId(invitation.id, nonce) },
      ),
    ),
  );
  return Response.json({ invitation }, { status: replaced ? 200 : 201 });
});
