import { v5 as uuidV5 } from "uuid";
import { HttpError } from "@/lib/http/errors";
import type { Job } from "@/lib/jobs/state";
import { createJob, failJob, findJobByIdempotencyKey, JobStoreError } from "@/lib/jobs/store";
import { log } from "@/lib/observability/log";
import type { Json } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import type { AdminScope } from "./access";
import { recordAudit } from "./audit";
import { getScopedJob, jobNotFound, replayBlocker, selectForBulkReplay, type BulkSelection } from "./dead-letters";
import type { BulkReplayRequest } from "./schemas";

/**
 * Replaying a failed job: a new job with the same type, organisation, user and payload,
 * pointing back at the old one (`replay_of`), and the original event sent again with the
 * new job's id in it, so the job mirror (inngest/job-mirror.ts) records the run on the new
 * job. The old job stays failed, as history. The database lets a job be replayed once
 * (20261124000000_operations.sql); a retry of the same request finds the same replay.
 *
 * lib doesn't know the Inngest client: callers pass `emit`, which sends one event
 * (inngest/replay.ts) and throws `ReplayRefusedError` for an event it won't send.
 */

export type ReplayEvent = { id: string; name: string; data: { [key: string]: Json | undefined } };
export type EmitReplay = (event: ReplayEvent) => Promise<unknown>;

/** The event can't be sent (unknown name, or a payload that no longer fits its schema). */
export class ReplayRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplayRefusedError";
  }
}

type ReplayableJob = Pick<Job, "id" | "org_id" | "user_id" | "type" | "payload" | "max_attempts" | "notify_by_email"> & {
  event_name: string;
};

/** The event a replay sends: the original's data, with the new job's id. */
export function replayEventFor(original: ReplayableJob, replayId: string): ReplayEvent {
  const payload = original.payload as { [key: string]: Json | undefined };
  return {
    // A new id: Inngest drops an event whose id it has seen, and the original's was seen.
    id: `replay-${replayId}`,
    name: original.event_name,
    data: { ...payload, orgId: original.org_id, ...(original.user_id ? { userId: original.user_id } : {}), jobId: replayId },
  };
}

export type ReplayOutcome = { jobId: string; replayId: string };

/** The replay's idempotency key: one replay per original, whoever asks and however often. */
const replayKey = (originalId: string) => `replay-of:${originalId}`;

/**
 * A replay that another got to first: the replay trigger's check_violation
 * (mark_job_replayed: the original is no longer a failed job awaiting replay; its hint says
 * so, as the jobs table's other checks raise 23514 too), or unique_violation for the
 * replay's id, which every request for the same replay shares.
 */
const lostRace = (error: JobStoreError) =>
  error.code === "23505" || (error.code === "23514" && error.hint === "already_replayed");

/** Any fixed UUID: the namespace of replay ids (RFC 9562 name-based ids). */
const REPLAY_NAMESPACE = "0b5e7e4c-1f0a-4c4e-9d52-7a2f3c8e6b11";

/**
 * The replay's id, known before it exists so the audit entry (written first) can name it:
 * derived from the original's, so every request for the same replay names the same job.
 */
export const replayIdFor = (originalId: string) => uuidV5(originalId, REPLAY_NAMESPACE);

/** What an audit entry of replays says: every id, and which job replays which. */
function replayAudit(originals: { id: string }[]): { jobIds: string[]; replays: Record<string, string> } {
  const replays = Object.fromEntries(originals.map(({ id }) => [id, replayIdFor(id)]));
  return { jobIds: Object.entries(replays).flat(), replays };
}

/**
 * Creates the replay of a job the caller already checked (scope, replayBlocker) and sends
 * its event. A concurrent request for the same job finds the same replay (its key) and
 * is told it was already replayed; the database refuses any other second replay.
 */
async function replayChecked(db: Db, original: ReplayableJob, emit: EmitReplay): Promise<ReplayOutcome> {
  let replay: Job;
  let created: boolean;
  try {
    ({ job: replay, created } = await createJob(db, {
      id: replayIdFor(original.id),
      orgId: original.org_id,
      userId: original.user_id,
      type: original.type,
      payload: original.payload,
      maxAttempts: original.max_attempts,
      notifyByEmail: original.notify_by_email,
      eventName: original.event_name,
      replayOf: original.id,
      idempotencyKey: replayKey(original.id),
    }));
  } catch (error) {
    // A concurrent request's replay got there first.
    if (error instanceof JobStoreError && lostRace(error)) throw alreadyReplayed();
    throw error;
  }
  if (!created) throw alreadyReplayed();
  return sendReplay(db, original, replay.id, emit);
}

const alreadyReplayed = () => new HttpError(409, "already_replayed", "This job has already been replayed.");

/** Sends the replay's event; if it can't be sent, the replay fails, visibly, instead of waiting for ever. */
async function sendReplay(db: Db, original: ReplayableJob, replayId: string, emit: EmitReplay): Promise<ReplayOutcome> {
  try {
    await emit(replayEventFor(original, replayId));
  } catch (error) {
    const refused = error instanceof ReplayRefusedError;
    const reason = refused ? error.message : "the event could not be sent";
    await failJob(db, replayId, `The replay could not be queued: ${reason}`, refused ? "not_replayable" : "queue_unavailable");
    if (refused) throw new HttpError(409, "not_replayable", reason);
    log().error({ err: error, jobId: original.id, replayId }, `replay of job ${original.id}: could not be queued`);
    throw new HttpError(503, "queue_unavailable", "Jobs can't be queued right now. Please try again in a moment.");
  }
  return { jobId: original.id, replayId };
}

function replayable<T extends Pick<Job, "status" | "replayed_at" | "event_name" | "payload">>(
  job: T,
): job is T & { event_name: string } {
  return replayBlocker(job) === null;
}

/** Replays one failed job in the caller's scope (404 outside it, 409 if it can't be replayed), audited. */
export async function replayJob(db: Db, scope: AdminScope, jobId: string, emit: EmitReplay): Promise<ReplayOutcome> {
  const job = await getScopedJob(db, scope, jobId);
  if (!job) throw jobNotFound();
  const audit = (replayId: string) =>
    // Audit first: an action that can't be recorded doesn't happen. It names both jobs.
    recordAudit(db, scope, {
      action: "job.replay",
      orgId: job.org_id,
      jobIds: [job.id, replayId],
      details: { type: job.type, replays: { [job.id]: replayId } },
    });

  // A replay still pending may never have been sent (the request died in between): a
  // retried request sends it now, with the same event id, which Inngest drops if it was.
  if (job.status === "failed" && job.replayed_at && job.event_name) {
    const replay = await findJobByIdempotencyKey(db, job.type, replayKey(job.id));
    if (replay?.status === "pending") {
      await audit(replay.id);
      return sendReplay(db, { ...job, event_name: job.event_name }, replay.id, emit);
    }
  }

  if (!replayable(job)) throw new HttpError(409, "not_replayable", replayBlocker(job) ?? "This job can't be replayed.");
  await audit(replayIdFor(job.id));
  return replayChecked(db, job, emit);
}

export type BulkPreview = Omit<BulkSelection, "jobs">;

export type BulkReplayResult =
  /** No confirmation yet: what would be replayed. */
  | { kind: "preview"; preview: BulkPreview }
  /** The confirmation is for other jobs than match now: nothing was replayed. */
  | { kind: "changed"; preview: BulkPreview }
  | { kind: "replayed"; replayed: ReplayOutcome[]; failed: { jobId: string; error: string }[] };

/** Sends this many replays at a time: quick for 500, gentle on the event API. */
const PARALLEL_REPLAYS = 10;

/**
 * Replays, in bulk, the failed jobs matching a filter, at most `cap`, after the admin has
 * seen what that means: a request without `confirm` only previews; one with it must name
 * the same selection the preview did, or nothing happens. One audit entry lists the jobs.
 */
export async function bulkReplay(
  db: Db,
  scope: AdminScope,
  request: BulkReplayRequest,
  emit: EmitReplay,
): Promise<BulkReplayResult> {
  const { jobs, ...preview } = await selectForBulkReplay(db, scope, request.filter, request.cap);
  if (!request.confirm) return { kind: "preview", preview };
  if (request.confirm.selection !== preview.selection || request.confirm.count !== preview.count) {
    return { kind: "changed", preview };
  }

  const orgIds = new Set(jobs.map((job) => job.org_id));
  const { jobIds, replays } = replayAudit(jobs);
  await recordAudit(db, scope, {
    action: "job.replay_bulk",
    // One organisation's entry when it concerns one, so that organisation's admins see it.
    orgId: request.filter.orgId ?? (orgIds.size === 1 ? [...orgIds][0] : null),
    jobIds,
    details: { filter: request.filter, cap: request.cap, matching: preview.matching, count: preview.count, replays },
  });

  const replayed: ReplayOutcome[] = [];
  const failed: { jobId: string; error: string }[] = [];
  for (let start = 0; start < jobs.length; start += PARALLEL_REPLAYS) {
    const batch = jobs.slice(start, start + PARALLEL_REPLAYS);
    const outcomes = await Promise.allSettled(
      batch.map((job) => (replayable(job) ? replayChecked(db, job, emit) : Promise.reject(new Error("not replayable")))),
    );
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "fulfilled") replayed.push(outcome.value);
      else failed.push({ jobId: batch[i]!.id, error: errorMessage(batch[i]!.id, outcome.reason) });
    });
  }
  return { kind: "replayed", replayed, failed };
}

function errorMessage(jobId: string, error: unknown): string {
  if (error instanceof HttpError) return error.message;
  log().error({ err: error, jobId }, "bulk replay of a job failed");
  return "The replay failed; see the server log.";
}
