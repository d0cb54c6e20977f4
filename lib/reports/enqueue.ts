import { isDeepStrictEqual } from "node:util";
import { createJob, failJob, findJobByIdempotencyKey } from "@/lib/jobs/store";
import type { Job } from "@/lib/jobs/state";
import type { Db } from "@/lib/supabase/db";
import { HttpError } from "@/lib/http/errors";
import { describeWait, rateLimitedError, takeRateLimitToken, type RateLimit } from "@/lib/rate-limit/limiter";
import { reportRequestLimit } from "@/lib/rate-limit/limits";
import { futureDayError, reportPayloadSchema, type ReportParams, type ReportPayload, type ReportRequest } from "./request";
import { prepareReport } from "./store";

export const REPORT_JOB_TYPE = "report";
/** inngest/events.ts' reportRequested; named here so lib needn't import the Inngest layer. */
export const REPORT_EVENT_NAME = "app/report.requested";
/** Matches generate-report's `retries` (3) plus the first attempt. */
const REPORT_MAX_ATTEMPTS = 4;

/** `organisations.plan`. Paid ("pro") organisations' reports start first (generate-report's priority). */
export const PLANS = ["free", "pro"] as const;
export type Plan = (typeof PLANS)[number];

const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

/** The optional `Idempotency-Key` header: printable ASCII, at most 200 characters. */
export function parseIdempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  if (!idempotencyKeyPattern.test(header)) {
    throw new HttpError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 200 printable ASCII characters.");
  }
  return header;
}

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
 * the caller gets a 429 saying when to come back. The plan, which `emit` puts in the
 * event for priority, and the time zone are read alongside the key, so they add no wait.
 */
export async function enqueueReport(
  db: Db,
  input: { orgId: string; userId: string; request: ReportRequest; idempotencyKey?: string },
  emit: (job: Job, payload: ReportPayload, organisation: { plan: Plan }) => Promise<unknown>,
): Promise<{ job: Job; created: boolean }> {
  // Scoped to the organisation, so two tenants can't collide on a key.
  const idempotencyKey = input.idempotencyKey && `${input.orgId}:${input.idempotencyKey}`;
  const [timeZone, plan, existing] = await Promise.all([
    profileTimeZone(db, input.userId),
    organisationPlan(db, input.orgId),
    idempotencyKey ? findJobByIdempotencyKey(db, REPORT_JOB_TYPE, idempotencyKey) : null,
  ]);

  let job: Job;
  let created = false;
  if (existing) {
    job = sameRequestOrRefuse(existing, input.request);
  } else {
    const future = futureDayError(input.request.to, timeZone);
    if (future) throw new HttpError(400, "invalid_request", future, { to: future });
    const limit = reportRequestLimit();
    const decision = await takeRateLimitToken(db, input.orgId, limit);
    if (!decision.allowed) throw rateLimitedError(decision.retryAfterSeconds, tooManyReports(limit, decision.retryAfterSeconds));

    const payload: ReportPayload = { ...paramsOf(input.request), timeZone, notifyByEmail: input.request.notifyByEmail };
    ({ job, created } = await createJob(db, {
      orgId: input.orgId,
      userId: input.userId,
      type: REPORT_JOB_TYPE,
      payload,
      maxAttempts: REPORT_MAX_ATTEMPTS,
      notifyByEmail: input.request.notifyByEmail,
      eventName: REPORT_EVENT_NAME,
      idempotencyKey,
    }));
    // Lost a race to a concurrent request with the same key: it must be the same request too.
    if (!created) sameRequestOrRefuse(job, input.request);
  }
  if (job.status !== "pending") return { job, created };

  // What the job recorded, not this request's reading of it: a retry keeps the first time zone.
  const payload = reportPayloadSchema.parse(job.payload);
  try {
    // generate-report prepares the report too (idempotently), so the two needn't wait for each other.
    await Promise.all([
      created ? prepareReport(db, { jobId: job.id, orgId: input.orgId, payload }) : undefined,
      emit(job, payload, { plan }),
    ]);
  } catch (error) {
    console.error(`report job ${job.id}: could not be queued`, error);
    await failJob(db, job.id, "The report could not be queued. Please try again.");
    throw new HttpError(503, "queue_unavailable", "Reports can't be queued right now. Please try again in a moment.");
  }
  return { job, created };
}

const paramsOf = ({ kind, from, to, format }: ReportParams): ReportParams => ({ kind, from, to, format });

/**
 * The job a repeated Idempotency-Key made, if this request is the one it was made for:
 * the same report, asked the same way (defaults count as given). Otherwise a 422.
 */
function sameRequestOrRefuse(job: Job, request: ReportRequest): Job {
  const recorded = reportPayloadSchema.safeParse(job.payload);
  const same =
    recorded.success &&
    isDeepStrictEqual(paramsOf(recorded.data), paramsOf(request)) &&
    // Jobs from before the payload recorded it can't be checked on this.
    (recorded.data.notifyByEmail === undefined || recorded.data.notifyByEmail === request.notifyByEmail);
  if (!same) {
    throw new HttpError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
    );
  }
  return job;
}

async function profileTimeZone(db: Db, userId: string): Promise<string> {
  const { data, error } = await db.from("profiles").select("time_zone").eq("id", userId).single();
  if (error) throw new Error(`Could not read the time zone of ${userId}: ${error.message}`, { cause: error });
  return data.time_zone;
}

function tooManyReports(limit: RateLimit, retryAfterSeconds: number): string {
  return (
    `Too many report requests: your organisation may ask for ${limit.limit} every ` +
    `${describeWait(limit.windowSeconds)}. Try again in ${describeWait(retryAfterSeconds)}.`
  );
}

async function organisationPlan(db: Db, orgId: string): Promise<Plan> {
  const { data, error } = await db.from("organisations").select("plan").eq("id", orgId).single();
  if (error) throw new Error(`Could not read organisation ${orgId}'s plan: ${error.message}`, { cause: error });
  return PLANS.find((plan) => plan === data.plan) ?? "free";
}
