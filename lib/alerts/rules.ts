import { env, type ServerEnv } from "@/lib/env";
import { formatSeconds } from "@/lib/duration";
import { formatPercent } from "@/lib/metrics/format";
import type { JobTypeMetrics } from "@/lib/metrics/queries";

/**
 * The alert rules, as pure functions of the metrics: which rules a job type breaks now.
 * Each is judged per job type, so an alert names the kind of work in trouble, and over
 * the last hour (ALERT_WINDOW_SECONDS) for the counts and rates.
 */

export const ALERT_RULES = ["dead_letters", "failure_rate", "oldest_pending", "queue_depth", "stuck_jobs"] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_WINDOW_SECONDS = 3_600;

export type AlertThresholds = {
  /** More dead letters than this in the window. */
  deadLettersPerHour: number;
  /** A failure rate above this fraction... */
  failureRate: number;
  /** ...judged only once this many jobs finished in the window. */
  failureRateMinJobs: number;
  /** A pending job older than this. */
  oldestPendingSeconds: number;
  /** More jobs than this pending or retrying. */
  queueDepth: number;
  /** At least this many stuck jobs. */
  stuckJobs: number;
  /** A running job is stuck after this long, or after twice its type's p95 if sooner. */
  stuckAfterSeconds: number;
};

export function alertThresholds(source: ServerEnv = env()): AlertThresholds {
  return {
    deadLettersPerHour: source.ALERT_DEAD_LETTERS_PER_HOUR,
    failureRate: source.ALERT_FAILURE_RATE,
    failureRateMinJobs: source.ALERT_FAILURE_RATE_MIN_JOBS,
    oldestPendingSeconds: source.ALERT_OLDEST_PENDING_SECONDS,
    queueDepth: source.ALERT_QUEUE_DEPTH,
    stuckJobs: source.ALERT_STUCK_JOBS,
    stuckAfterSeconds: source.ALERT_STUCK_AFTER_SECONDS,
  };
}

/** A rule a job type breaks: the figure that breaks it and the threshold. */
export type FailingRule = { rule: AlertRule; jobType: string; value: number; threshold: number };

/** Every rule each job type breaks, given its metrics over the alert window. */
export function failingRules(metrics: JobTypeMetrics[], thresholds: AlertThresholds): FailingRule[] {
  return metrics.flatMap((m) => {
    const failing: FailingRule[] = [];
    const add = (rule: AlertRule, value: number, threshold: number) =>
      failing.push({ rule, jobType: m.jobType, value, threshold });

    if (m.failed > thresholds.deadLettersPerHour) add("dead_letters", m.failed, thresholds.deadLettersPerHour);
    if (
      m.failureRate !== null &&
      m.completed + m.failed >= thresholds.failureRateMinJobs &&
      m.failureRate > thresholds.failureRate
    ) {
      add("failure_rate", m.failureRate, thresholds.failureRate);
    }
    if (m.oldestPendingSeconds !== null && m.oldestPendingSeconds > thresholds.oldestPendingSeconds) {
      add("oldest_pending", m.oldestPendingSeconds, thresholds.oldestPendingSeconds);
    }
    if (m.queueDepth > thresholds.queueDepth) add("queue_depth", m.queueDepth, thresholds.queueDepth);
    if (m.stuck >= thresholds.stuckJobs) add("stuck_jobs", m.stuck, thresholds.stuckJobs);
    return failing;
  });
}

/** What an incident means, for the email and the banner: a headline and what to look at. */
export function describeRule(rule: AlertRule, jobType: string, value: number, threshold: number) {
  const jobs = (n: number) => `${n.toLocaleString("en")} ${n === 1 ? "job" : "jobs"}`;
  switch (rule) {
    case "dead_letters":
      return {
        title: `${jobType}: ${jobs(value)} failed for good in the last hour`,
        detail: `More than ${jobs(threshold)} of this type ran out of retries within an hour. Read their errors in the dead letters, fix the cause, then replay them.`,
      };
    case "failure_rate":
      return {
        title: `${jobType}: ${formatPercent(value)} of jobs failed in the last hour`,
        detail: `Above the ${formatPercent(threshold)} threshold. Look at the dead letters' errors for a common cause, such as a provider outage or a bad deploy.`,
      };
    case "oldest_pending":
      return {
        title: `${jobType}: a job has waited ${formatSeconds(value)} to start`,
        detail: `Longer than ${formatSeconds(threshold)}. Workers are not keeping up or not running: check the Inngest dashboard for this function's backlog and concurrency.`,
      };
    case "queue_depth":
      return {
        title: `${jobType}: ${jobs(value)} waiting`,
        detail: `More than ${jobs(threshold)} are pending or retrying. Scale up or fix what makes them slow before the wait reaches your users.`,
      };
    case "stuck_jobs":
      return {
        title: `${jobType}: ${jobs(value)} stuck`,
        detail: `Running for longer than twice this type's usual p95 (or the configured limit). A step may be hanging on a slow dependency.`,
      };
  }
}
