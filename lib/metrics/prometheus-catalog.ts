/**
 * Every metric GET /api/metrics exposes: its name, type, help and labels, in one place.
 * The endpoint writes exactly these, and the committed Grafana dashboard's queries are
 * checked against them (tests/metrics/grafana-dashboard.test.ts), so a renamed metric
 * can't silently empty a panel. Imports nothing, so tests and scripts can read it.
 */

export type PrometheusMetricType = "counter" | "gauge" | "histogram";

export type PrometheusMetricDefinition = {
  name: string;
  type: PrometheusMetricType;
  help: string;
  labels: readonly string[];
};

export const PROMETHEUS_METRICS = {
  jobsCompleted: {
    name: "offload_jobs_completed_total",
    type: "counter",
    help: "Jobs that completed, since the install began counting (kept after the cleanup deletes the jobs).",
    labels: ["job_type"],
  },
  jobsFailed: {
    name: "offload_jobs_failed_total",
    type: "counter",
    help: "Jobs that failed after their last attempt (dead letters), since the install began counting.",
    labels: ["job_type"],
  },
  jobsCancelled: {
    name: "offload_jobs_cancelled_total",
    type: "counter",
    help: "Jobs that were cancelled, since the install began counting.",
    labels: ["job_type"],
  },
  jobDuration: {
    name: "offload_job_duration_seconds",
    type: "histogram",
    help: "Time from a completed job's first start to its completion, retries included.",
    labels: ["job_type"],
  },
  throughput: {
    name: "offload_job_throughput_per_minute",
    type: "gauge",
    help: "Jobs finished (completed or failed) per minute over the last hour, as the admin overview shows it.",
    labels: ["job_type"],
  },
  queueDepth: {
    name: "offload_job_queue_depth",
    type: "gauge",
    help: "Jobs pending or retrying now.",
    labels: ["job_type"],
  },
  oldestPendingAge: {
    name: "offload_job_oldest_pending_age_seconds",
    type: "gauge",
    help: "How long the oldest pending job has waited; 0 when none is pending.",
    labels: ["job_type"],
  },
  stuck: {
    name: "offload_jobs_stuck",
    type: "gauge",
    help: "Jobs processing or retrying for longer than the stuck limit (twice the type's p95, or ALERT_STUCK_AFTER_SECONDS if sooner).",
    labels: ["job_type"],
  },
  openIncidents: {
    name: "offload_alert_incidents_open",
    type: "gauge",
    help: "Open alert incidents per rule and job type; a series exists only while one is open.",
    labels: ["rule", "job_type"],
  },
} as const satisfies Record<string, PrometheusMetricDefinition>;

export type PrometheusMetricKey = keyof typeof PROMETHEUS_METRICS;

/** The series names a scrape can contain: a histogram's _bucket, _sum and _count, every other metric's name. */
export function exposedSeriesNames(): string[] {
  return Object.values(PROMETHEUS_METRICS).flatMap((metric: PrometheusMetricDefinition) =>
    metric.type === "histogram" ? ["_bucket", "_sum", "_count"].map((suffix) => metric.name + suffix) : [metric.name],
  );
}
