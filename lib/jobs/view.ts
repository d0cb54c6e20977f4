import type { Json } from "@/lib/supabase/database.types";
import { isJobType, type JobType } from "./registry";
import type { Job, JobStatus } from "./state";

/** What the status API returns and the UI renders: no internals, a safe error message. */
export type JobStatusView = {
  id: string;
  type: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  etaSeconds: number | null;
  result: Json | null;
  error: string | null;
  attempt: number;
  maxAttempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  notifyByEmail: boolean;
  /** What was asked for, so a failed or cancelled job can be requested again. */
  payload: Json;
};

/**
 * Remaining time by linear extrapolation of the progress made since the job started.
 * Null when there is nothing honest to say: not running, no progress yet, or done.
 */
export function estimateSecondsLeft(job: Pick<Job, "status" | "progress" | "started_at">, now: Date): number | null {
  if (job.status !== "processing" || !job.started_at || job.progress <= 0 || job.progress >= 100) return null;
  const elapsedSeconds = (now.getTime() - new Date(job.started_at).getTime()) / 1000;
  if (elapsedSeconds <= 0) return null;
  return Math.ceil((elapsedSeconds * (100 - job.progress)) / job.progress);
}

/**
 * What a user may read about a failure. `jobs.error` keeps the real message for operators
 * (it can name tables, providers or internal ids); users get what happened and what next.
 */
export function safeError(job: Pick<Job, "status" | "attempt" | "max_attempts">): string | null {
  if (job.status === "retrying") {
    return `A temporary problem interrupted this job; retrying (attempt ${job.attempt + 1} of ${job.max_attempts}).`;
  }
  if (job.status === "failed") {
    return `This job failed after ${job.attempt} ${job.attempt === 1 ? "attempt" : "attempts"}. We have the details; you can try again.`;
  }
  return null;
}

/**
 * Payload fields the status view leaves out, per job type. Every member of a team reads
 * its jobs; an invitation job's `nonce` (with its `invitationId`) is what the invitation
 * link's token is derived from, and invitations are for owners and admins only.
 */
const hiddenPayloadFields: Partial<Record<JobType, readonly string[]>> = {
  "team-invitation": ["invitationId", "nonce"],
};

/** What was asked for, without the fields its type keeps from the status view. */
export function visiblePayload(job: Pick<Job, "type" | "payload">): Json {
  const hidden = isJobType(job.type) ? hiddenPayloadFields[job.type] : undefined;
  const { payload } = job;
  if (!hidden || payload === null || typeof payload !== "object" || Array.isArray(payload)) return payload;
  return Object.fromEntries(Object.entries(payload).filter(([field]) => !hidden.includes(field)));
}

export function toStatusView(job: Job, now: Date = new Date()): JobStatusView {
  const finishedAt = job.completed_at ?? job.failed_at ?? job.cancelled_at;
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    message: job.progress_message,
    etaSeconds: estimateSecondsLeft(job, now),
    result: job.status === "completed" ? job.result : null,
    error: safeError(job),
    attempt: job.attempt,
    maxAttempts: job.max_attempts,
    // The API answers in ISO 8601 whatever format the database driver returned.
    createdAt: new Date(job.created_at).toISOString(),
    startedAt: job.started_at ? new Date(job.started_at).toISOString() : null,
    finishedAt: finishedAt ? new Date(finishedAt).toISOString() : null,
    notifyByEmail: job.notify_by_email,
    payload: visiblePayload(job),
  };
}
