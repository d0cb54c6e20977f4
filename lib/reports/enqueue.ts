import { z } from "zod";
import { planSchema, type Plan } from "@/lib/auth/context";
import { jobTypes } from "@/lib/jobs/registry";
import { failJob } from "@/lib/jobs/store";
import { log, logJobTransition } from "@/lib/observability/log";
import { Constants } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { HttpError, invalidFields } from "@/lib/http/errors";
import { describeWait } from "@/lib/duration";
import { rateLimitedError, retryAfterSeconds, type RateLimit } from "@/lib/rate-limit/limiter";
import { reportRequestLimit } from "@/lib/rate-limit/limits";
import { assertSafeWebhookUrl } from "@/lib/webhooks/endpoints";
import { newWebhookSecret } from "@/lib/webhooks/signing";
import { futureDayMessage, reportPayloadSchema, type ReportPayload, type ReportRequest } from "./request";

const recordedJob = z.object({
  id: z.uuid(),
  org_id: z.uuid(),
  status: z.enum(Constants.public.Enums.job_status),
  payload: reportPayloadSchema,
});

/** What `enqueue_report` answers: one object, its `outcome` saying which. */
const enqueueAnswer = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.enum(["created", "existing"]),
    job: recordedJob,
    // An unknown plan runs as "free", as generate-report treats a missing one.
    plan: planSchema.catch("free"),
    // For the job's asker only.
    callback: z.object({ url: z.string(), secret: z.string() }).nullable(),
  }),
  z.object({ outcome: z.literal("key_reused") }),
  z.object({ outcome: z.literal("future_day"), today: z.iso.date(), time_zone: z.string() }),
  z.object({ outcome: z.literal("rate_limited"), retry_after_ms: z.number().int() }),
  z.object({ outcome: z.literal("no_organisation") }),
]);

/** Where a report's end is sent, and the secret it is signed with. */
export type ReportCallback = { url: string; secret: string };

/** A report job that is waiting to be queued, as `emit` gets it. */
export type PendingReport = { jobId: string; orgId: string; payload: ReportPayload; plan: Plan };

/**
 * Records a report request as a pending job, then hands it to `emit`, which queues the
 * work. The same key from the same organisation is the same job, and re-emitting it is
 * harmless (the event id is the job id), so a retried request that crashed between the
 * two steps still gets queued. If queueing fails the job fails, so nothing waits forever.
 *
 * A key already used answers with its job, without taking from the rate limit (a retry
 * isn't new work), but only for the same request: a different body under the same key
 * is a client bug that must not pass for success, so it gets a 422 (as Stripe and Resend
 * answer). A new request is checked against the asker's calendar (no future days, in
 * their time zone), then the organisation's rate limit: over it, nothing is written and
 * the caller gets a 429 saying when to come back.
 *
 * A `callbackUrl` must pass an endpoint's URL check first (422 `unsafe_url`); the job
 * then gets a callback with a new signing secret, and the same key with another callback
 * is another request (422).
 *
 * All of that, in the organisation the user acts in, is one call to the database
 * (`enqueue_report`, one transaction), which also answers the plan `emit` puts in the
 * event for priority; then one `emit`. `db` is the server's client (the secret key): the
 * function isn't granted to users, who could otherwise choose their own rate limit.
 */
export async function enqueueReport(
  db: Db,
  input: { userId: string; request: ReportRequest; idempotencyKey?: string },
  emit: (report: PendingReport) => Promise<unknown>,
): Promise<{ jobId: string; created: boolean; callback: ReportCallback | null }> {
  const { kind, from, to, format, notifyByEmail, callbackUrl } = input.request;
  if (callbackUrl !== undefined) await assertSafeWebhookUrl(callbackUrl, "callbackUrl");
  const limit = reportRequestLimit();
  const { data, error } = await db.rpc("enqueue_report", {
    p_user_id: input.userId,
    p_kind: kind,
    p_from: from,
    p_to: to,
    p_format: format,
    p_notify_by_email: notifyByEmail,
    p_rate_limit_bucket: limit.bucket,
    p_rate_limit: limit.limit,
    p_rate_limit_window_seconds: limit.windowSeconds,
    p_idempotency_key: input.idempotencyKey,
    ...(callbackUrl === undefined ? {} : { p_callback_url: callbackUrl, p_callback_secret: newWebhookSecret() }),
  });
  if (error) throw new Error(`Could not enqueue a report for ${input.userId}: ${error.message}`, { cause: error });
  const answer = enqueueAnswer.parse(data);

  switch (answer.outcome) {
    case "no_organisation":
      throw new HttpError(403, "no_organisation", "You aren't a member of any organisation, so there is nothing to report on.");
    case "key_reused":
      throw new HttpError(
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
      );
    case "future_day": {
      throw invalidFields({ to: futureDayMessage(answer.today, answer.time_zone) });
    }
    case "rate_limited": {
      const seconds = retryAfterSeconds(answer.retry_after_ms);
      throw rateLimitedError(seconds, tooManyReports(limit, seconds));
    }
  }

  const { job, plan, callback } = answer;
  const created = answer.outcome === "created";
  // enqueue_report wrote the job, not lib/jobs, so its line is written here.
  if (created) logJobTransition("queued", { id: job.id, type: jobTypes.report.type, org_id: job.org_id, attempt: 0 });
  if (job.status !== "pending") return { jobId: job.id, created, callback };
  try {
    // What the job recorded, not this request's reading of it: a retry keeps the first time zone.
    await emit({ jobId: job.id, orgId: job.org_id, payload: job.payload, plan });
  } catch (error) {
    log().error({ err: error, jobId: job.id }, `report job ${job.id}: could not be queued`);
    await failJob(db, job.id, "The report could not be queued. Please try again.", "queue_unavailable");
    throw new HttpError(503, "queue_unavailable", "Reports can't be queued right now. Please try again in a moment.");
  }
  return { jobId: job.id, created, callback };
}

function tooManyReports(limit: RateLimit, retryAfterSeconds: number): string {
  return (
    `Too many report requests: your organisation may ask for ${limit.limit} every ` +
    `${describeWait(limit.windowSeconds)}. Try again in ${describeWait(retryAfterSeconds)}.`
  );
}
