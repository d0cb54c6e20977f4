import { createJob, failJob, findJobByIdempotencyKey } from "@/lib/jobs/store";
import type { Job } from "@/lib/jobs/state";
import type { Db } from "@/lib/supabase/db";
import { HttpError } from "@/lib/http/errors";
import { describeWait, rateLimitedError, takeRateLimitToken, type RateLimit } from "@/lib/rate-limit/limiter";
import { reportRequestLimit } from "@/lib/rate-limit/limits";
import type { ReportParams, ReportRequest } from "./request";
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
 * First, the organisation's rate limit: over it, nothing is written and the caller gets a
 * 429 saying when to come back, unless this is a retry of a request already accepted
 * (same Idempotency-Key), which isn't new work and gets its job as before. The plan, which
 * `emit` puts in the event for priority, is read alongside, so it adds no wait.
 */
export async function enqueueReport(
  db: Db,
  input: { orgId: string; userId: string; request: ReportRequest; idempotencyKey?: string },
  emit: (job: Job, params: ReportParams, organisation: { plan: Plan }) => Promise<unknown>,
): Promise<{ job: Job; created: boolean }> {
  const { notifyByEmail, ...params } = input.request;
  // Scoped to the organisation, so two tenants can't collide on a key.
  const idempotencyKey = input.idempotencyKey && `${input.orgId}:${input.idempotencyKey}`;
  const limit = reportRequestLimit();
  const [decision, plan] = await Promise.all([
    takeRateLimitToken(db, input.orgId, limit),
    organisationPlan(db, input.orgId),
  ]);
  if (!decision.allowed && !(idempotencyKey && (await findJobByIdempotencyKey(db, REPORT_JOB_TYPE, idempotencyKey)))) {
    throw rateLimitedError(decision.retryAfterSeconds, tooManyReports(limit, decision.retryAfterSeconds));
  }

  const { job, created } = await createJob(db, {
    orgId: input.orgId,
    userId: input.userId,
    type: REPORT_JOB_TYPE,
    payload: params,
    maxAttempts: REPORT_MAX_ATTEMPTS,
    notifyByEmail,
    eventName: REPORT_EVENT_NAME,
    idempotencyKey,
  });
  if (job.status !== "pending") return { job, created };
  try {
    // generate-report prepares the report too (idempotently), so the two needn't wait for each other.
    await Promise.all([
      created ? prepareReport(db, { jobId: job.id, orgId: input.orgId, params }) : undefined,
      emit(job, params, { plan }),
    ]);
  } catch (error) {
    console.error(`report job ${job.id}: could not be queued`, error);
    await failJob(db, job.id, "The report could not be queued. Please try again.");
    throw new HttpError(503, "queue_unavailable", "Reports can't be queued right now. Please try again in a moment.");
  }
  return { job, created };
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
