import { eventType } from "inngest";
import { z } from "zod";
import { planSchema } from "@/lib/auth/context";
import { digestRecipientSchema } from "@/lib/digest/digest";
import { jobTypes } from "@/lib/jobs/registry";
import { reportParamsSchema, reportPayloadSchema } from "@/lib/reports/request";

/**
 * Every event the app sends or receives, each with the schema that validates it at the
 * boundary (the SDK checks it on send and on receipt) and types it everywhere else.
 *
 * An event that starts tracked work is named by its job type (lib/jobs/registry.ts), and
 * carries `orgId` and `userId`, and `jobId` when the route handler already created the job
 * row (see inngest/job-mirror.ts). Its payload is built from the domain's own schema.
 */

const uuid = z.uuid();

/**
 * `jobId` on the events below is set only by an admin's replay (lib/admin/replay.ts), which
 * creates the job first; functions that dedupe per user let a replay through by it.
 */
const replayJobId = uuid.optional();

export const userSignedUp = eventType(jobTypes["welcome-email"].event, {
  schema: z.object({ userId: uuid, orgId: uuid, email: z.email(), jobId: replayJobId }),
});

/** The event id that makes a sign-up's event, and so its welcome email, happen once. */
export const userSignedUpEventId = (userId: string) => `user-signed-up-${userId}`;

export const reportRequested = eventType(jobTypes.report.event, {
  schema: reportParamsSchema.extend({
    jobId: uuid,
    orgId: uuid,
    userId: uuid,
    // The organisation's plan when it asked, for generate-report's priority. Optional: an
    // event without it (sent before plans existed, or replayed from a job) runs as "free".
    plan: planSchema.optional(),
    // The IANA zone whose days from..to are (the asker's). Optional: older events meant UTC days.
    timeZone: reportPayloadSchema.shape.timeZone.unwrap().optional(),
  }),
});

/**
 * An owner or admin invited someone to a team, or invited them again. `nonce` is the
 * invitation's `token_nonce` when it was sent: the email's link is derived from it, and a
 * newer invitation (another nonce) supersedes this one.
 */
export const invitationSent = eventType(jobTypes["team-invitation"].event, {
  schema: z.object({ orgId: uuid, userId: uuid, invitationId: uuid, nonce: uuid, jobId: replayJobId }),
});

/** One email per invitation and token: sending again with a new nonce is a new event. */
export const invitationEventId = (invitationId: string, nonce: string) => `invitation-${invitationId}-${nonce}`;

/** Asks a running job to stop; functions that can be cancelled list it in `cancelOn`. */
export const jobCancelRequested = eventType("app/job.cancel-requested", {
  schema: z.object({ jobId: uuid }),
});

/**
 * A team was deleted, with its jobs, reports and invitations (DELETE /api/organisations/:orgId).
 * Functions doing a team's work list it in `cancelOn`, matched by `orgId`, so its queued
 * and running runs stop instead of failing against rows that are gone.
 */
export const teamDeleted = eventType("app/team.deleted", {
  schema: z.object({ orgId: uuid }),
});
/** One event per team: a repeated send is the same event. */
export const teamDeletedEventId = (orgId: string) => `team-deleted-${orgId}`;

/** One user's digest for one local date; its id makes a repeat the same event. */
export const digestRequested = eventType(jobTypes["send-digest"].event, {
  schema: digestRecipientSchema.extend({ asOf: z.iso.datetime(), jobId: replayJobId }),
});
export const digestEventId = (userId: string, localDate: string) => `digest-${userId}-${localDate}`;

/**
 * The crons an admin may run by hand (POST /api/admin/crons/:id/run). Each cron function
 * also triggers on this event, filtered to its own id, so a manual run is an ordinary run.
 */
export const manualCrons = ["daily-digest", "cleanup-jobs"] as const;
export type ManualCron = (typeof manualCrons)[number];

/** When each cron runs on its own (the Crons page shows the next and last time). */
export const cronSchedules = {
  "daily-digest": "TZ=UTC 0 * * * *",
  "cleanup-jobs": "TZ=UTC 30 3 * * *",
} as const satisfies Record<ManualCron, string>;

export const cronRunRequested = eventType("app/cron.run-requested", {
  schema: z.object({ cron: z.enum(manualCrons), requestedBy: uuid }),
});
/** The trigger a cron function adds to run by hand. */
export const manualRunTrigger = (cron: ManualCron) => ({
  event: cronRunRequested,
  if: `event.data.cron == "${cron}"`,
});

/**
 * The events an admin may send again to replay a failed job (inngest/replay.ts): each
 * starts tracked work and takes the id of the job the replay created as `jobId`.
 */
export const replayableEvents = [userSignedUp, reportRequested, invitationSent, digestRequested] as const;

/**
 * Deliver one webhook message to its endpoint (the `deliver-webhook` function). `round` is
 * the message's replay count: 0 for the first delivery, n for its n-th replay, so a replay
 * is a new event while redeliveries of one round stay one.
 */
export const webhookDeliveryRequested = eventType("app/webhook.delivery_requested", {
  schema: z.object({ orgId: uuid, endpointId: uuid, messageId: uuid, round: z.number().int().min(0) }),
});
export const webhookDeliveryEventId = (messageId: string, round: number) => `webhook-${messageId}-${round}`;
