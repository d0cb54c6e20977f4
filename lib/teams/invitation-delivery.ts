import "server-only";
import { sendEmail } from "@/lib/email/send";
import { InvitationEmail, invitationEmailSubject } from "@/lib/email/templates/invitation-email";
import type { Enums } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { invitationToken, invitationUrl } from "./invitation-token";

/**
 * Delivering an invitation's email, for the send-invitation function (service role: the
 * job has no session). What the event names may have changed before the email goes:
 * each attempt reads the invitation again and sends only while that token is still the one
 * that would work.
 */

export type DeliverableInvitation = {
  id: string;
  nonce: string;
  email: string;
  role: Enums<"membership_role">;
  expiresAt: string;
  teamName: string;
  inviterName: string | null;
};

/**
 * Why an invitation's email isn't sent: revoked (the row is gone; deleting the team takes
 * it too), accepted, expired, or superseded (invited again: a newer nonce, with its own email).
 */
export type InvitationSkipReason = "revoked" | "accepted" | "expired" | "superseded";

export type InvitationToDeliver =
  | { deliver: true; invitation: DeliverableInvitation }
  | { deliver: false; reason: InvitationSkipReason };

/**
 * The invitation `invitationId` of team `orgId` if its email, for token `nonce`, should
 * still go; `inviterId` is who sent it now (the event's user: whoever invited again).
 */
export async function invitationToDeliver(
  db: Db,
  args: { invitationId: string; orgId: string; nonce: string; inviterId: string; now?: Date },
): Promise<InvitationToDeliver> {
  const { data: invitation, error } = await db
    .from("invitations")
    .select("id, email, role, token_nonce, expires_at, accepted_at, organisation:organisations(name)")
    .eq("id", args.invitationId)
    .eq("org_id", args.orgId)
    .maybeSingle();
  if (error) throw new Error(`Could not read invitation ${args.invitationId}: ${error.message}`);
  if (!invitation || !invitation.organisation) return { deliver: false, reason: "revoked" };
  if (invitation.accepted_at) return { deliver: false, reason: "accepted" };
  if (invitation.token_nonce !== args.nonce) return { deliver: false, reason: "superseded" };
  if (Date.parse(invitation.expires_at) <= (args.now ?? new Date()).getTime()) return { deliver: false, reason: "expired" };

  return {
    deliver: true,
    invitation: {
      id: invitation.id,
      nonce: invitation.token_nonce,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expires_at,
      teamName: invitation.organisation.name,
      inviterName: await inviterName(db, args.inviterId),
    },
  };
}

/** The inviter's display name, else their address; null when their account is gone. */
async function inviterName(db: Db, userId: string): Promise<string | null> {
  const { data, error } = await db.from("profiles").select("display_name, email").eq("id", userId).maybeSingle();
  if (error) throw new Error(`Could not read the inviter ${userId}: ${error.message}`);
  if (!data) return null;
  return data.display_name.trim() || data.email;
}

/**
 * Sends the email with the invitation's link. Resend's key is per invitation and token, so
 * a retry or a duplicate event sends nothing more within Resend's 24 hours, and inviting
 * again (a new nonce) sends a new email.
 */
export async function sendInvitationEmail(invitation: DeliverableInvitation, now = new Date()): Promise<{ id: string }> {
  const acceptUrl = invitationUrl(invitationToken({ id: invitation.id, nonce: invitation.nonce }));
  return sendEmail({
    to: invitation.email,
    subject: invitationEmailSubject(invitation),
    body: InvitationEmail({
      inviterName: invitation.inviterName,
      teamName: invitation.teamName,
      role: invitation.role,
      acceptUrl,
      expiresAt: new Date(invitation.expiresAt),
      now,
    }),
    idempotencyKey: invitationEmailKey(invitation),
  });
}

export const invitationEmailKey = ({ id, nonce }: { id: string; nonce: string }) => `team-invitation/${id}/${nonce}`;
