import { EmailSendError } from "@/lib/email/send";
import { jobTypes } from "@/lib/jobs/registry";
import { createServiceSupabase } from "@/lib/supabase/service";
import { invitationToDeliver, sendInvitationEmail, type InvitationSkipReason } from "@/lib/teams/invitation-delivery";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";
import { invitationSent, teamDeleted } from "../events";

const invitationJob = jobTypes["team-invitation"];

export const INVITATION_CONCURRENCY_PER_ORG = 2;

/**
 * One email per invitation and token. The event id, the function's idempotency key and
 * Resend's idempotency key are each per invitation and nonce, so duplicate events and
 * retries send it once, and inviting again (a new nonce) sends a new one. An invitation
 * revoked, accepted, expired or invited again before the email goes isn't sent: the run
 * completes and says why (`sent: false`), since nothing failed. Deleting the team cancels
 * its queued and running sends (`app/team.deleted`).
 */
export const sendInvitation = inngest.createFunction(
  {
    id: invitationJob.functionId,
    name: "Team invitation email",
    triggers: [invitationSent],
    // Once per invitation and token, except that an admin's replay of a failed one (it
    // carries the job it created, jobId) must get through; Resend's key still makes it one email.
    idempotency: 'has(event.data.jobId) ? event.data.jobId : event.data.invitationId + "-" + event.data.nonce',
    retries: invitationJob.retries,
    // Emails to addresses a team chose: at Resend's shared rate (as send-digest), and at
    // most 2 at once per team, so one team inviting hundreds delays only its own.
    throttle: { limit: 2, period: "1s" },
    concurrency: [{ key: "event.data.orgId", limit: INVITATION_CONCURRENCY_PER_ORG }],
    // A deleted team's invitations are gone with it: stop, don't retry against nothing.
    cancelOn: [{ event: teamDeleted, match: "data.orgId" }],
  },
  async ({ event, step }) => {
    const { orgId, userId, invitationId, nonce } = event.data;

    // Read and sent in one step, so every attempt checks the invitation again before sending.
    return step.run("send-email", async (): Promise<InvitationDelivery> => {
      const found = await invitationToDeliver(createServiceSupabase(), { invitationId, orgId, nonce, inviterId: userId });
      if (!found.deliver) return { sent: false, reason: found.reason };
      return withEmailRetryPolicy(async () => {
        try {
          const { id } = await sendInvitationEmail(found.invitation);
          return { sent: true, emailId: id, alreadySent: false };
        } catch (error) {
          // It went out before a run could record it, and the body has changed since (the
          // team renamed, a day less left): Resend's 409 says the key was used.
          if (error instanceof EmailSendError && error.failure.kind === "already_sent") {
            return { sent: true, emailId: null, alreadySent: true };
          }
          throw error;
        }
      }, "the invitation email");
    });
  },
);

type InvitationDelivery =
  | { sent: true; emailId: string | null; alreadySent: boolean }
  | { sent: false; reason: InvitationSkipReason };
