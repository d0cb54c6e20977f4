import { logJobTransition } from "@/lib/observability/log";
import type { JobTransition } from "@/lib/observability/log-lines";
import type { Json } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { ACTIVE_STATUSES, nextState, type Job, type JobEvent, type JobStatus } from "./state";

/**
 * The only module that writes job state. Query functions take the client, so the same
 * code runs with the service role (functions, route handlers) or a user's session (reads
 * under RLS), and tests pass whichever they need.
 */

export type NewJob = {
  /** Chosen by the caller when it must name the job before it exists (a replay's audit entry). */
  id?: string;
  orgId: string;
  userId?: string | null;
  type: string;
  payload?: Json;
  maxAttempts?: number;
  notifyByEmail?: boolean;
  /** Two creations with the same key for the same type are one job. */
  idempotencyKey?: string;
  inngestEventId?: string;
  /** The event that starts the work, so the job can be replayed (see lib/admin/replay.ts). */
  eventName?: string;
  /** The failed job this one replays. */
  replayOf?: string;
};

export class JobStoreError extends Error {
  /** The Data API's error code: the SQLSTATE when the database refused (23505, 23514, ...). */
  readonly code: string | undefined;
  /** PostgreSQL's hint, which tells apart refusals that share a SQLSTATE. */
  readonly hint: string | undefined;

  constructor(action: string, cause: { message: string; code?: string; hint?: string | null }) {
    super(`Could not ${action}: ${cause.message}`, { cause });
    this.name = "JobStoreError";
    this.code = cause.code;
    this.hint = cause.hint ?? undefined;
  }
}

/** Creates a job in `pending`, or returns the one its idempotency key already made. */
export async function createJob(db: Db, input: NewJob): Promise<{ job: Job; created: boolean }> {
  const row = {
    ...(input.id ? { id: input.id } : {}),
    org_id: input.orgId,
    user_id: input.userId ?? null,
    type: input.type,
    payload: input.payload ?? {},
    max_attempts: input.maxAttempts ?? 1,
    notify_by_email: input.notifyByEmail ?? false,
    idempotency_key: input.idempotencyKey ?? null,
    inngest_event_id: input.inngestEventId ?? null,
    event_name: input.eventName ?? null,
    replay_of: input.replayOf ?? null,
  };
  if (!input.idempotencyKey) {
    const { data, error } = await db.from("jobs").insert(row).select().single();
    if (error) throw new JobStoreError("create the job", error);
    logCreated(data);
    return { job: data, created: true };
  }

  const inserted = await db
    .from("jobs")
    .upsert(row, { onConflict: "type,idempotency_key", ignoreDuplicates: true })
    .select();
  if (inserted.error) throw new JobStoreError("create the job", inserted.error);
  const created = inserted.data[0];
  if (created) {
    logCreated(created);
    return { job: created, created: true };
  }

  const existing = await findJobByIdempotencyKey(db, input.type, input.idempotencyKey);
  if (!existing) throw new JobStoreError("create the job", { message: "conflicting job vanished" });
  return { job: existing, created: false };
}

/** A new job is queued; a replay's insert also marked its original replayed (mark_job_replayed). */
function logCreated(job: Job) {
  if (job.replay_of) logJobTransition("replayed", { id: job.replay_of, type: job.type, org_id: job.org_id }, { replayId: job.id });
  logJobTransition("queued", job, { replayOf: job.replay_of });
}

/** The line a change of status gets; none for a write that keeps it (progress, a repeated start). */
const TRANSITION_OF: Partial<Record<JobStatus, JobTransition>> = {
  processing: "started",
  retrying: "retrying",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

export async function getJob(db: Db, { id }: { id: string }): Promise<Job | null> {
  const { data, error } = await db.from("jobs").select().eq("id", id).maybeSingle();
  if (error) throw new JobStoreError("read the job", error);
  return data;
}

export async function findJobByIdempotencyKey(db: Db, type: string, key: string): Promise<Job | null> {
  const { data, error } = await db.from("jobs").select().eq("type", type).eq("idempotency_key", key).maybeSingle();
  if (error) throw new JobStoreError("read the job", error);
  return data;
}

export type TransitionResult = { ok: true; job: Job } | { ok: false; reason: string; job: Job | null };

/** Compare-and-set attempts before giving up on a job that keeps changing under us. */
const MAX_RACES = 5;

/**
 * Applies a state machine event to a job. Reads the job, computes the change, and writes
 * it only if nobody wrote in between (the `version` column); a lost race re-reads and
 * re-decides, so two deliveries of one event can't both win and a late retry can't
 * overwrite a finished job. A refused event is not an error: it is returned, not thrown.
 */
export async function transitionJob(db: Db, id: string, event: JobEvent): Promise<TransitionResult> {
  for (let race = 0; race < MAX_RACES; race++) {
    const job = await getJob(db, { id });
    if (!job) return { ok: false, reason: "no such job", job: null };

    const transition = nextState(job, event);
    if (!transition.ok) return { ok: false, reason: transition.reason, job };

    const { data, error } = await db
      .from("jobs")
      .update(transition.patch)
      .eq("id", id)
      .eq("version", job.version)
      .select()
      .maybeSingle();
    if (error) throw new JobStoreError(`record "${event.type}" for job ${id}`, error);
    if (data) {
      // Logged once the write is taken: a refused or lost write leaves no line.
      const transition = data.status !== job.status ? TRANSITION_OF[data.status] : undefined;
      if (transition) logJobTransition(transition, data, { errorCode: "code" in event ? event.code : undefined });
      return { ok: true, job: data };
    }
  }
  throw new JobStoreError(`record "${event.type}" for job ${id}`, { message: "too many concurrent writes" });
}

/**
 * Ends the job an Inngest run was working on, after the run was cancelled outside the app
 * (the runs page, Inngest's REST API, a bulk cancel). `jobId` is the job the triggering
 * event named, if any: it may be cancelled while its run still waited to start. A job that
 * records another run (a rerun of the same event) is that run's to end. Returns the jobs
 * cancelled; a job that had already finished is left as it was.
 */
export async function cancelJobsOfRun(db: Db, run: { runId: string; jobId?: string }): Promise<Job[]> {
  let candidates: Job[];
  if (run.jobId) {
    const job = await getJob(db, { id: run.jobId });
    candidates = job && (job.inngest_run_id === null || job.inngest_run_id === run.runId) ? [job] : [];
  } else {
    const { data, error } = await db.from("jobs").select().eq("inngest_run_id", run.runId);
    if (error) throw new JobStoreError(`find the jobs of run ${run.runId}`, error);
    candidates = data;
  }
  const cancelled: Job[] = [];
  for (const job of candidates) {
    const result = await cancelJob(db, job.id);
    if (result.ok) cancelled.push(result.job);
  }
  return cancelled;
}

/** Whether to email the user when the job ends; only while it is still running. */
export async function setNotifyByEmail(db: Db, id: string, notify: boolean): Promise<TransitionResult> {
  const { data, error } = await db
    .from("jobs")
    .update({ notify_by_email: notify })
    .eq("id", id)
    .in("status", ACTIVE_STATUSES)
    .select()
    .maybeSingle();
  if (error) throw new JobStoreError(`change notifications for job ${id}`, error);
  if (data) return { ok: true, job: data };
  const job = await getJob(db, { id });
  return { ok: false, reason: job ? `the job is already ${job.status}` : "no such job", job };
}

export type JobPage = { jobs: Job[]; nextCursor: string | null };

/**
 * The organisation's jobs, newest first, a page at a time. The cursor is the last row's
 * `seq`: stable under inserts, unlike an offset or a (rounded) timestamp.
 */
export async function listJobs(
  db: Db,
  query: { orgId: string; limit: number; cursor?: string; type?: string },
): Promise<JobPage> {
  let request = db.from("jobs").select().eq("org_id", query.orgId).order("seq", { ascending: false }).limit(query.limit + 1);
  if (query.cursor) request = request.lt("seq", Number(query.cursor));
  if (query.type) request = request.eq("type", query.type);
  const { data, error } = await request;
  if (error) throw new JobStoreError("list jobs", error);
  const jobs = data.slice(0, query.limit);
  const more = data.length > query.limit;
  return { jobs, nextCursor: more ? String(jobs.at(-1)!.seq) : null };
}

/** Readable shorthands for the calls functions make most. */
export const reportProgress = (db: Db, id: string, progress: number, message?: string) =>
  transitionJob(db, id, { type: "progress", progress, message });

export const completeJob = (db: Db, id: string, result?: Json) => transitionJob(db, id, { type: "complete", result });

export const failJob = (db: Db, id: string, error: string, code?: string) => transitionJob(db, id, { type: "fail", error, code });

export const cancelJob = (db: Db, id: string) => transitionJob(db, id, { type: "cancel" });
