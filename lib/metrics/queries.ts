import { z } from "zod";
import type { Db } from "@/lib/supabase/db";

/**
 * Typed wrappers around the SQL metrics (supabase/migrations/20261124010000_metrics.sql),
 * which says how every figure is defined. The rows are parsed here: the generated types
 * can't tell which columns may be null (no finished job, no pending job), the schema can.
 */

const count = z.coerce.number().int().min(0);
const figure = z.number().nullable();

const jobTypeMetricsRow = z
  .object({
    job_type: z.string(),
    completed: count,
    failed: count,
    throughput_per_minute: z.number(),
    success_rate: figure,
    failure_rate: figure,
    p50_ms: figure,
    p95_ms: figure,
    p99_ms: figure,
    pending: count,
    retrying: count,
    processing: count,
    queue_depth: count,
    oldest_pending_seconds: figure,
    stuck: count,
    stuck_after_seconds: z.number(),
  })
  .transform((row) => ({
    jobType: row.job_type,
    completed: row.completed,
    failed: row.failed,
    throughputPerMinute: row.throughput_per_minute,
    /** Of the jobs that finished in the window; null when none did. */
    successRate: row.success_rate,
    failureRate: row.failure_rate,
    p50Ms: row.p50_ms,
    p95Ms: row.p95_ms,
    p99Ms: row.p99_ms,
    /** Now, not over the window. */
    pending: row.pending,
    retrying: row.retrying,
    processing: row.processing,
    queueDepth: row.queue_depth,
    oldestPendingSeconds: row.oldest_pending_seconds,
    stuck: row.stuck,
    /** How long a job of this type may run before it counts as stuck. */
    stuckAfterSeconds: row.stuck_after_seconds,
  }));

export type JobTypeMetrics = z.output<typeof jobTypeMetricsRow>;

const seriesRow = z
  .object({
    bucket_start: z.string(),
    job_type: z.string(),
    completed: count,
    failed: count,
    p95_ms: figure,
  })
  .transform((row) => ({
    // PostgREST answers ISO 8601; @supabase/lite a space-separated form. Send one shape.
    bucketStart: new Date(row.bucket_start).toISOString(),
    jobType: row.job_type,
    completed: row.completed,
    failed: row.failed,
    p95Ms: row.p95_ms,
  }));

export type MetricsSeriesPoint = z.output<typeof seriesRow>;

export type MetricsQuery = {
  from: Date;
  to: Date;
  /** The organisations to count; null for every organisation (platform admins only). */
  orgIds: string[] | null;
};

export class MetricsError extends Error {
  constructor(what: string, cause: { message: string }) {
    super(`Could not read ${what}: ${cause.message}`, { cause });
    this.name = "MetricsError";
  }
}

/** Per job type over [from, to); queue figures as of `now`. Call with the service role. */
export async function getJobMetrics(
  serviceDb: Db,
  query: MetricsQuery & { now: Date; stuckAfterSeconds: number; baselineSeconds?: number },
): Promise<JobTypeMetrics[]> {
  const { data, error } = await serviceDb.rpc("job_metrics", {
    p_from: query.from.toISOString(),
    p_to: query.to.toISOString(),
    p_now: query.now.toISOString(),
    p_stuck_after_seconds: query.stuckAfterSeconds,
    ...(query.orgIds ? { p_org_ids: query.orgIds } : {}),
    ...(query.baselineSeconds ? { p_baseline_seconds: query.baselineSeconds } : {}),
  });
  if (error) throw new MetricsError("job metrics", error);
  return z.array(jobTypeMetricsRow).parse(data);
}

/** Completed, failed and p95 per bucket and job type, every bucket present. */
export async function getJobMetricsSeries(
  serviceDb: Db,
  query: MetricsQuery & { bucketSeconds: number },
): Promise<MetricsSeriesPoint[]> {
  const { data, error } = await serviceDb.rpc("job_metrics_series", {
    p_from: query.from.toISOString(),
    p_to: query.to.toISOString(),
    p_bucket_seconds: query.bucketSeconds,
    ...(query.orgIds ? { p_org_ids: query.orgIds } : {}),
  });
  if (error) throw new MetricsError("the metrics series", error);
  return z.array(seriesRow).parse(data);
}
