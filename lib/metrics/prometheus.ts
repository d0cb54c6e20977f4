import { listOpenIncidents } from "@/lib/alerts/incidents";
import { ALERT_WINDOW_SECONDS } from "@/lib/alerts/rules";
import { env } from "@/lib/env";
import type { Db } from "@/lib/supabase/db";
import { getJobCounters, getJobDurationHistograms } from "./counters";
import { toPrometheusText, type MetricFamily, type Sample } from "./exposition";
import { PROMETHEUS_METRICS as M } from "./prometheus-catalog";
import { getJobMetrics, type JobTypeMetrics } from "./queries";

/**
 * What GET /api/metrics answers: the counters from their own tables (they survive the
 * cleanup), the gauges from the same SQL as the admin overview (job_metrics) over the
 * alert rules' hour and stuck limit, and the open incidents. Install-wide, service role.
 */
export async function loadPrometheusText(serviceDb: Db, now = new Date()): Promise<string> {
  const from = new Date(now.getTime() - ALERT_WINDOW_SECONDS * 1000);
  const [counters, histograms, gauges, incidents] = await Promise.all([
    getJobCounters(serviceDb),
    getJobDurationHistograms(serviceDb),
    getJobMetrics(serviceDb, { from, to: now, now, orgIds: null, stuckAfterSeconds: env().ALERT_STUCK_AFTER_SECONDS }),
    listOpenIncidents(serviceDb),
  ]);

  // Every type ever counted keeps its gauge series (at 0 when idle), so a panel shows
  // "nothing queued" rather than a gap; job_metrics names only the types active lately.
  const byType = new Map<string, JobTypeMetrics | undefined>(counters.map((c) => [c.jobType, undefined]));
  for (const row of gauges) byType.set(row.jobType, row);
  const types = [...byType.keys()].sort();
  const gauge = (figure: (row: JobTypeMetrics | undefined) => number): Sample[] =>
    types.map((jobType) => ({ labels: { job_type: jobType }, value: figure(byType.get(jobType)) }));

  const openByRule = new Map<string, Sample>();
  for (const incident of incidents) {
    const key = `${incident.rule}\u0000${incident.jobType}`;
    const sample = openByRule.get(key) ?? { labels: { rule: incident.rule, job_type: incident.jobType }, value: 0 };
    sample.value += 1;
    openByRule.set(key, sample);
  }

  const families: MetricFamily[] = [
    { metric: M.jobsCompleted, samples: counters.map((c) => ({ labels: { job_type: c.jobType }, value: c.completed })) },
    { metric: M.jobsFailed, samples: counters.map((c) => ({ labels: { job_type: c.jobType }, value: c.failed })) },
    { metric: M.jobsCancelled, samples: counters.map((c) => ({ labels: { job_type: c.jobType }, value: c.cancelled })) },
    {
      metric: M.jobDuration,
      histograms: histograms.map((h) => ({ labels: { job_type: h.jobType }, buckets: h.buckets, sum: h.sum, count: h.count })),
    },
    { metric: M.throughput, samples: gauge((row) => row?.throughputPerMinute ?? 0) },
    { metric: M.queueDepth, samples: gauge((row) => row?.queueDepth ?? 0) },
    { metric: M.oldestPendingAge, samples: gauge((row) => row?.oldestPendingSeconds ?? 0) },
    { metric: M.stuck, samples: gauge((row) => row?.stuck ?? 0) },
    { metric: M.openIncidents, samples: [...openByRule.values()] },
  ];
  return toPrometheusText(families);
}
