import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { JOB_TYPES, jobTypes } from "@/lib/jobs/registry";
import type { Job } from "@/lib/jobs/state";
import { safeError } from "@/lib/jobs/view";
import type { Json } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import type { WebhookEventType } from "./event-types";

/** The Inngest function ids (with the app's prefix) whose runs are jobs that raise webhooks. */
export const TRACKED_FUNCTION_IDS = JOB_TYPES.map((type) => `offload-${jobTypes[type].functionId}`);

/** An `if` expression matching `inngest/function.finished` of the tracked functions only. */
export const trackedFunctionFilter = TRACKED_FUNCTION_IDS.map((id) => `event.data.function_id == "${id}"`).join(" || ");

/** What this app reads of Inngest's `inngest/function.finished`. */
export const functionFinishedSchema = z.object({
  function_id: z.string(),
  run_id: z.string().min(1),
  event: z
    .object({
      id: z.string().optional(),
      data: z.object({ jobId: z.uuid().optional().catch(undefined) }).loose().optional(),
    })
    .loose()
    .optional(),
});
export type FunctionFinished = z.infer<typeof functionFinishedSchema>;

const TERMINAL = new Set<Job["status"]>(["completed", "failed", "cancelled"]);

export class JobNotEndedError extends Error {
  constructor(readonly jobId: string, readonly status: string) {
    super(`job ${jobId} is still ${status}; its end is written a moment after the run's`);
    this.name = "JobNotEndedError";
  }
}

/**
 * The job a finished run did: named by its event (`jobId`), else the job its event started
 * (inngest_event_id), else the job of the run. Null when the run was no job (a duplicate
 * event dropped by idempotency, say). Throws while the job hasn't ended yet: a cancel's
 * `cancelled` is written just after the run ends.
 */
export async function endedJobOfRun(db: Db, finished: FunctionFinished): Promise<Job | null> {
  const lookups: { column: "id" | "inngest_event_id" | "inngest_run_id"; value: string }[] = [];
  if (finished.event?.data?.jobId) lookups.push({ column: "id", value: finished.event.data.jobId });
  if (finished.event?.id) lookups.push({ column: "inngest_event_id", value: finished.event.id });
  lookups.push({ column: "inngest_run_id", value: finished.run_id });
  for (const { column, value } of lookups) {
    const { data, error } = await db.from("jobs").select().eq(column, value).order("created_at", { ascending: false }).limit(1);
    if (error) throw new Error(`find the job of run ${finished.run_id}: ${error.message}`, { cause: error });
    const [job] = data;
    if (!job) continue;
    if (!TERMINAL.has(job.status)) throw new JobNotEndedError(job.id, job.status);
    return job;
  }
  return null;
}

export type WebhookEvent = { type: WebhookEventType; data: Json };

/** The webhook events an ended job raises: job.<status>, and report.ready for a completed report. */
export function eventsOfJob(job: Job): WebhookEvent[] {
  // ISO 8601 as the body's own timestamp is, not PostgreSQL's text form.
  const iso = (at: string | null) => (at === null ? null : new Date(at).toISOString());
  const endedAt = iso(job.completed_at ?? job.failed_at ?? job.cancelled_at);
  const base = {
    job: {
      id: job.id,
      type: job.type,
      status: job.status,
      createdAt: iso(job.created_at),
      endedAt,
      // What the status API shows users; the job's own error is for operators.
      error: safeError(job),
    },
    organisationId: job.org_id,
  };
  const status = job.status;
  if (status !== "completed" && status !== "failed" && status !== "cancelled") return [];
  const events: WebhookEvent[] = [{ type: `job.${status}`, data: base }];
  if (job.type === jobTypes.report.type && status === "completed") {
    const url = new URL(`/dashboard/reports/${job.id}`, env().APP_URL).toString();
    events.push({ type: "report.ready", data: { ...base, report: { id: job.id, url } } });
  }
  return events;
}

export type EnqueuedMessage = { messageId: string; endpointId: string; orgId: string; replays: number };

/**
 * One message per subscribed endpoint for each event, once per event and endpoint (the
 * dedupe key): raising them again answers the messages still pending, so a retried or
 * duplicated fan-out sends those again and their event ids make it one delivery.
 */
export async function enqueueJobEvents(db: Db, job: Job): Promise<EnqueuedMessage[]> {
  const messages: EnqueuedMessage[] = [];
  for (const event of eventsOfJob(job)) {
    const { data, error } = await db.rpc("enqueue_webhook_messages", {
      p_org_id: job.org_id,
      p_event_type: event.type,
      p_payload: event.data,
      p_dedupe_key: `${event.type}:${job.id}`,
      p_job_id: job.id,
    });
    if (error) throw new Error(`enqueue ${event.type} for job ${job.id}: ${error.message}`, { cause: error });
    for (const row of data) {
      messages.push({ messageId: row.message_id, endpointId: row.endpoint_id, orgId: job.org_id, replays: row.replays });
    }
  }
  return messages;
}
