import { createJob, failJob } from "@/lib/jobs/store";
import type { Job } from "@/lib/jobs/state";
import type { Db } from "@/lib/supabase/db";
import { HttpError } from "@/lib/http/errors";
import type { ReportParams, ReportRequest } from "./request";
import { prepareReport } from "./store";

export const REPORT_JOB_TYPE = "report";
/** inngest/events.ts' reportRequested; named here so lib needn't import the Inngest layer. */
export const REPORT_EVENT_NAME = "app/report.requested";
/** Matches generate-report's `retries` (3) plus the first attempt. */
const REPORT_MAX_ATTEMPTS = 4;

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
 */
export async function enqueueReport(
  db: Db,
  input: { orgId: string; userId: string; request: ReportRequest; idempotencyKey?: string },
  emit: (job: Job, params: ReportParams) => Promise<unknown>,
): Promise<{ job: Job; created: boolean }> {
  const { notifyByEmail, ...params } = input.request;
  const { job, created } = await createJob(db, {
    orgId: input.orgId,
    userId: input.userId,
    type: REPORT_JOB_TYPE,
    payload: params,
    maxAttempts: REPORT_MAX_ATTEMPTS,
    notifyByEmail,
    eventName: REPORT_EVENT_NAME,
    // Scoped to the organisation, so two tenants can't collide on a key.
    idempotencyKey: input.idempotencyKey && `${input.orgId}:${input.idempotencyKey}`,
  });
  if (job.status !== "pending") return { job, created };
  try {
    // generate-report prepares the report too (idempotently), so the two needn't wait for each other.
    await Promise.all([
      created ? prepareReport(db, { jobId: job.id, orgId: input.orgId, params }) : undefined,
      emit(job, params),
    ]);
  } catch (error) {
    console.error(`report job ${job.id}: could not be queued`, error);
    await failJob(db, job.id, "The report could not be queued. Please try again.");
    throw new HttpError(503, "queue_unavailable", "Reports can't be queued right now. Please try again in a moment.");
  }
  return { job, created };
}
