import { eventType } from "inngest";
import { z } from "zod";
import { Constants } from "@/lib/supabase/database.types";

/**
 * Every event the app sends or receives, each with the schema that validates it at the
 * boundary (the SDK checks it on send and on receipt) and types it everywhere else.
 *
 * Convention: an event that starts tracked work carries `orgId` and `userId`, and
 * `jobId` when the route handler already created the job row (see inngest/job-mirror.ts).
 */

const uuid = z.uuid();

/**
 * `jobId` on the events below is set only by an admin's replay (lib/admin/replay.ts), which
 * creates the job first; functions that dedupe per user let a replay through by it.
 */
const replayJobId = uuid.optional();

export const userSignedUp = eventType("app/user.signed_up", {
  schema: z.object({ userId: uuid, orgId: uuid, email: z.email(), jobId: replayJobId }),
});

/** The event id that makes a sign-up's event, and so its welcome email, happen once. */
export const userSignedUpEventId = (userId: string) => `user-signed-up-${userId}`;

export const reportRequested = eventType("app/report.requested", {
  schema: z.object({
    jobId: uuid,
    orgId: uuid,
    userId: uuid,
    // The organisation's plan when it asked, for generate-report's priority. Optional: an
    // event without it (sent before plans existed, or replayed from a job) runs as "free".
    plan: z.enum(Constants.public.Enums.plan).optional(),
    kind: z.enum(["activity", "summary"]),
    from: z.iso.date(),
    to: z.iso.date(),
    format: z.literal("csv"),
    // The IANA zone whose days from..to are (the asker's). Optional: older events meant UTC days.
    timeZone: z.string().min(1).optional(),
  }),
});

/** Asks a running job to stop; functions that can be cancelled list it in `cancelOn`. */
export const jobCancelRequested = eventType("app/job.cancel-requested", {
  schema: z.object({ jobId: uuid }),
});

/** One user's digest for one local date; its id makes a repeat the same event. */
export const digestRequested = eventType("app/digest.requested", {
  schema: z.object({ userId: uuid, orgId: uuid, localDate: z.iso.date(), asOf: z.iso.datetime(), jobId: replayJobId }),
});
export const digestEventId = (userId: string, localDate: string) => `digest-${userId}-${localDate}`;

/**
 * The crons an admin may run by hand (POST /api/admin/crons/:id/run). Each cron function
 * also triggers on this event, filtered to its own id, so a manual run is an ordinary run.
 */
export const manualCrons = ["daily-digest", "cleanup-jobs"] as const;
export type ManualCron = (typeof manualCrons)[number];

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
export const replayableEvents = [userSignedUp, reportRequested, digestRequested] as const;
