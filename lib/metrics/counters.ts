import { z } from "zod";
import type { Db } from "@/lib/supabase/db";
import { MetricsError } from "./queries";

/**
 * The running totals of finished jobs (supabase/migrations/20261205000000_job_counters.sql),
 * which the cleanup never lowers: what Prometheus counters are made of. Service role only.
 */

const count = z.coerce.number().int().min(0);

const counterRow = z
  .object({
    job_type: z.string(),
    completed: count,
    failed: count,
    cancelled: count,
    duration_seconds_sum: z.number(),
    duration_count: count,
  })
  .transform((row) => ({
    jobType: row.job_type,
    completed: row.completed,
    failed: row.failed,
    cancelled: row.cancelled,
    durationSecondsSum: row.duration_seconds_sum,
    durationCount: row.duration_count,
  }));

export type JobCounters = z.output<typeof counterRow>;

const histogramRow = z.object({
  job_type: z.string(),
  le: z.string().regex(/^(\+Inf|\d+(\.\d+)?(e[+-]?\d+)?)$/),
  cumulative: count,
  duration_seconds_sum: z.number(),
  duration_count: count,
});

export type JobDurationHistogram = {
  jobType: string;
  /** Cumulative, ascending, the last one "+Inf". */
  buckets: { le: string; count: number }[];
  sum: number;
  count: number;
};

/** Every job type's totals, by type. */
export async function getJobCounters(serviceDb: Db): Promise<JobCounters[]> {
  const { data, error } = await serviceDb.from("job_counters").select("*").order("job_type");
  if (error) throw new MetricsError("the job counters", error);
  return z.array(counterRow).parse(data);
}

/** Every job type's duration buckets (every bound, zeros included), sum and count, by type. */
export async function getJobDurationHistograms(serviceDb: Db): Promise<JobDurationHistogram[]> {
  const { data, error } = await serviceDb.rpc("job_duration_histogram");
  if (error) throw new MetricsError("the job duration histogram", error);
  const histograms = new Map<string, JobDurationHistogram>();
  for (const row of z.array(histogramRow).parse(data)) {
    const histogram = histograms.get(row.job_type) ?? {
      jobType: row.job_type,
      buckets: [],
      sum: row.duration_seconds_sum,
      count: row.duration_count,
    };
    histogram.buckets.push({ le: row.le, count: row.cumulative });
    histograms.set(row.job_type, histogram);
  }
  // The function orders its rows, but an HTTP answer's order is not a contract.
  const bound = (le: string) => (le === "+Inf" ? Infinity : Number(le));
  for (const histogram of histograms.values()) histogram.buckets.sort((a, b) => bound(a.le) - bound(b.le));
  return [...histograms.values()].sort((a, b) => (a.jobType < b.jobType ? -1 : a.jobType > b.jobType ? 1 : 0));
}
