import { Constants, type Database, type Json } from "@/lib/supabase/database.types";

/**
 * The job state machine, as pure functions: given a job and what just happened, the
 * change to write, or why it must not be written.
 *
 *   pending → processing ⇄ retrying → completed | failed | cancelled
 *
 * Inngest delivers at least once and retries, so events arrive late or twice. The rules
 * make every write safe to repeat: nothing leaves a terminal state, and progress never
 * goes back. `attempt` is the attempt of the step being run, as Inngest counts it (per
 * step, from 1), so it may go down when the next step starts.
 */

export type Job = Database["public"]["Tables"]["jobs"]["Row"];
export type JobStatus = Database["public"]["Enums"]["job_status"];
export type JobPatch = Database["public"]["Tables"]["jobs"]["Update"];

export const TERMINAL_STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly JobStatus[];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export function isTerminal(status: JobStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly JobStatus[]).includes(status);
}

/** The statuses of a job still running: every other one the database knows. */
export const ACTIVE_STATUSES: readonly JobStatus[] = Constants.public.Enums.job_status.filter((s) => !isTerminal(s));

export type JobEvent =
  /** An attempt begins (attempt numbers start at 1). */
  | { type: "start"; attempt: number; runId?: string }
  | { type: "progress"; progress: number; message?: string }
  /**
   * An attempt failed and another will follow. `code` names the error for logs (its name,
   * or the app's code), where the message, which may quote a value, isn't written.
   */
  | { type: "retry"; attempt: number; error: string; code?: string }
  /**
   * A step used its last attempt (or met a permanent error) after `attempt` attempts. The
   * run may still catch it, so the job goes on; if it doesn't, "fail" follows.
   */
  | { type: "exhausted"; attempt: number }
  | { type: "complete"; result?: Json }
  /** No attempt is left, or the error is permanent. Without `attempt`, the job keeps the count it has. */
  | { type: "fail"; error: string; attempt?: number; code?: string }
  | { type: "cancel" };

export type JobSnapshot = Pick<Job, "status" | "progress" | "started_at">;

export type Transition = { ok: true; patch: JobPatch } | { ok: false; reason: string };

const refuse = (reason: string): Transition => ({ ok: false, reason });

/** The change `event` makes to `job`, or the reason it is refused. */
export function nextState(job: JobSnapshot, event: JobEvent, now: Date = new Date()): Transition {
  if (isTerminal(job.status)) {
    return refuse(`the job is already ${job.status}`);
  }
  const at = now.toISOString();

  switch (event.type) {
    case "start":
      return {
        ok: true,
        patch: {
          status: "processing",
          attempt: event.attempt,
          started_at: job.started_at ?? at,
          error: null,
          ...(event.runId ? { inngest_run_id: event.runId } : {}),
        },
      };
    case "progress": {
      if (!Number.isFinite(event.progress) || event.progress < 0 || event.progress > 100) {
        return refuse(`progress must be between 0 and 100, got ${event.progress}`);
      }
      if (job.status !== "processing") return refuse(`a ${job.status} job reports no progress`);
      const progress = Math.round(event.progress);
      if (progress < job.progress) return refuse(`progress never goes back (${job.progress} → ${progress})`);
      return {
        ok: true,
        patch: { progress, ...(event.message !== undefined ? { progress_message: event.message } : {}) },
      };
    }
    case "retry":
      return { ok: true, patch: { status: "retrying", attempt: event.attempt, error: event.error } };
    case "exhausted":
      return { ok: true, patch: { attempt: event.attempt } };
    case "complete":
      return {
        ok: true,
        patch: {
          status: "completed",
          progress: 100,
          result: event.result ?? null,
          error: null,
          started_at: job.started_at ?? at,
          completed_at: at,
        },
      };
    case "fail":
      return {
        ok: true,
        patch: {
          status: "failed",
          error: event.error,
          failed_at: at,
          ...(event.attempt !== undefined ? { attempt: event.attempt } : {}),
        },
      };
    case "cancel":
      return { ok: true, patch: { status: "cancelled", cancelled_at: at } };
  }
}
