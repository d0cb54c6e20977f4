import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { HttpError } from "@/lib/http/errors";
import { runPageUrl } from "@/lib/jobs/run-page";
import type { Job, JobStatus } from "@/lib/jobs/state";
import type { Json } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { canAdminister, type AdminScope } from "./access";
import { redactSecrets } from "./redact";
import type { DeadLetterFilter, DeadLetterQuery } from "./schemas";

/**
 * Dead letters: jobs that failed for good, as the operations console shows them. Every
 * query here runs with the service role (operators read across organisations, which
 * row-level security rightly forbids users), so each one is filtered to the caller's
 * scope explicitly, and a job outside it is reported exactly like one that doesn't exist.
 */

/** What the console shows of a job: the real error (users only get a safe summary), redacted payload. */
export type AdminJobView = {
  id: string;
  type: string;
  status: JobStatus;
  progress: number;
  orgId: string;
  orgName: string | null;
  userId: string | null;
  userEmail: string | null;
  error: string | null;
  attempt: number;
  maxAttempts: number;
  /** With secrets redacted (lib/admin/redact.ts). */
  payload: Json;
  /** The Inngest event that started it; a replay sends it again. */
  eventName: string | null;
  /** Its Inngest run, and that run's page where one is known (lib/jobs/run-page.ts). */
  runId: string | null;
  runUrl: string | null;
  createdAt: string;
  startedAt: string | null;
  firstFailedAt: string | null;
  failedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  /** The failed job this one replays. */
  replayOf: string | null;
  /** When this job was replayed; it is never replayed twice. */
  replayedAt: string | null;
  /** Its replay, unless that has been cleaned up since. */
  replayId: string | null;
  /** Why it can't be replayed, or null when it can. */
  replayBlocker: string | null;
};

export type DeadLetterPage = { jobs: AdminJobView[]; nextCursor: string | null };

const JOB_COLUMNS = "*, organisation:organisations(name)";

export const jobNotFound = () => new HttpError(404, "not_found", "No such job.");

/** Why a job can't be replayed, or null. Shared by the view (to explain) and the replay (to refuse). */
export function replayBlocker(job: Pick<Job, "status" | "replayed_at" | "event_name" | "payload">): string | null {
  if (job.status !== "failed") return "Only failed jobs can be replayed.";
  if (job.replayed_at) return "This job has already been replayed.";
  if (!job.event_name) return "This job doesn't record the event that started it, so it can't be sent again.";
  if (typeof job.payload !== "object" || job.payload === null || Array.isArray(job.payload)) {
    return "This job's payload isn't an object, so it can't be sent again as an event's data.";
  }
  return null;
}

/** Organisations a query may read: the one asked for if the scope covers it (404 otherwise), or the scope's. */
function orgsToRead(scope: AdminScope, orgId: string | undefined): string[] | "all" {
  if (orgId) {
    if (!canAdminister(scope, orgId)) throw new HttpError(404, "not_found", "No such organisation.");
    return [orgId];
  }
  return scope.platformAdmin ? "all" : scope.orgIds;
}

/** Failed jobs in the scope that match the filter, with the exact count when asked. */
function failedJobs(db: Db, scope: AdminScope, filter: DeadLetterFilter, options: { count?: boolean } = {}) {
  let query = db
    .from("jobs")
    .select(JOB_COLUMNS, options.count ? { count: "exact" } : undefined)
    .eq("status", "failed");
  const orgs = orgsToRead(scope, filter.orgId);
  if (orgs !== "all") query = query.in("org_id", orgs);
  if (filter.type) query = query.eq("type", filter.type);
  if (filter.failedSince) query = query.gte("failed_at", filter.failedSince);
  if (filter.failedUntil) query = query.lte("failed_at", filter.failedUntil);
  return query;
}

type JobRow = Job & { organisation: { name: string } | null };

const iso = (timestamp: string | null) => (timestamp ? new Date(timestamp).toISOString() : null);

/** Adds what the rows don't hold (the user's email, the replay's id) with one query each. */
async function toViews(db: Db, rows: JobRow[]): Promise<AdminJobView[]> {
  if (rows.length === 0) return [];
  const userIds = [...new Set(rows.flatMap((row) => (row.user_id ? [row.user_id] : [])))];
  const replayed = rows.filter((row) => row.replayed_at).map((row) => row.id);
  const [profiles, replays] = await Promise.all([
    userIds.length ? db.from("profiles").select("id, email").in("id", userIds) : null,
    replayed.length ? db.from("jobs").select("id, replay_of").in("replay_of", replayed) : null,
  ]);
  if (profiles?.error) throw new Error(`Could not read job owners: ${profiles.error.message}`);
  if (replays?.error) throw new Error(`Could not read replays: ${replays.error.message}`);
  const emails = new Map(profiles?.data.map((p) => [p.id, p.email]));
  const replayIds = new Map(replays?.data.map((r) => [r.replay_of, r.id]));

  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    status: row.status,
    progress: row.progress,
    orgId: row.org_id,
    orgName: row.organisation?.name ?? null,
    userId: row.user_id,
    userEmail: (row.user_id && emails.get(row.user_id)) || null,
    error: row.error,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    payload: redactSecrets(row.payload),
    eventName: row.event_name,
    runId: row.inngest_run_id,
    runUrl: runPageUrl(row.inngest_run_id, env().INNGEST_DEV),
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    firstFailedAt: iso(row.first_failed_at),
    failedAt: iso(row.failed_at),
    completedAt: iso(row.completed_at),
    cancelledAt: iso(row.cancelled_at),
    replayOf: row.replay_of,
    replayedAt: iso(row.replayed_at),
    replayId: replayIds.get(row.id) ?? null,
    replayBlocker: replayBlocker(row),
  }));
}

/**
 * Failed jobs in the scope, newest first, a page at a time. Paged by `seq` (creation
 * order), which is exact and stable; timestamps lose microseconds on the way through some
 * drivers, which makes them unsafe as a cursor. A job fails minutes after it is created,
 * so the order is the order of failure in all but name.
 */
export async function listDeadLetters(db: Db, scope: AdminScope, query: DeadLetterQuery): Promise<DeadLetterPage> {
  let request = failedJobs(db, scope, query).order("seq", { ascending: false }).limit(query.limit + 1);
  if (query.replayed === "yes") request = request.not("replayed_at", "is", null);
  if (query.replayed === "no") request = request.is("replayed_at", null);
  if (query.cursor) request = request.lt("seq", Number(query.cursor));
  const { data, error } = await request;
  if (error) throw new Error(`Could not list dead letters: ${error.message}`);
  const rows = data.slice(0, query.limit);
  const more = data.length > query.limit;
  return { jobs: await toViews(db, rows), nextCursor: more ? String(rows.at(-1)!.seq) : null };
}

/** Any job in the scope (a dead letter, or the replay that followed it), or null. */
export async function getAdminJob(db: Db, scope: AdminScope, id: string): Promise<AdminJobView | null> {
  const row = await getScopedJob(db, scope, id);
  if (!row) return null;
  const [view] = await toViews(db, [row]);
  return view ?? null;
}

/** The raw row of a job in the scope, or null: for the replay, which needs the unredacted payload. */
export async function getScopedJob(db: Db, scope: AdminScope, id: string): Promise<JobRow | null> {
  const { data, error } = await db.from("jobs").select(JOB_COLUMNS).eq("id", id).maybeSingle();
  if (error) throw new Error(`Could not read job ${id}: ${error.message}`);
  if (!data || !canAdminister(scope, data.org_id)) return null;
  return data;
}

/** What a bulk replay with this filter and cap would send, and a name for exactly those jobs. */
export type BulkSelection = {
  /** Failed jobs matching the filter that can still be replayed. */
  matching: number;
  /** How many a replay would send now: `matching`, or `cap` if fewer. */
  count: number;
  cap: number;
  /** Fingerprint of the selected ids; the confirmation must carry it back unchanged. */
  selection: string;
  /** The selected jobs, oldest first (not sent to the browser). */
  jobs: JobRow[];
};

/**
 * The jobs a bulk replay would send: replayable failed jobs matching the filter, oldest
 * first (a backlog is worked through in the order it failed; the next round picks up
 * where this one stopped, since replayed jobs no longer match), at most `cap` of them.
 */
export async function selectForBulkReplay(
  db: Db,
  scope: AdminScope,
  filter: DeadLetterFilter,
  cap: number,
): Promise<BulkSelection> {
  const { data, count, error } = await failedJobs(db, scope, filter, { count: true })
    .is("replayed_at", null)
    .not("event_name", "is", null)
    .order("seq", { ascending: true })
    .limit(cap);
  if (error) throw new Error(`Could not select dead letters: ${error.message}`);
  const jobs = data.filter((job) => replayBlocker(job) === null);
  const selection = createHash("sha256")
    .update(jobs.map((job) => job.id).join(","))
    .digest("base64url")
    .slice(0, 22);
  return { matching: count ?? jobs.length, count: jobs.length, cap, selection, jobs };
}
