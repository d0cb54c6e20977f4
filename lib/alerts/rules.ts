import { env, type ServerEnv } from "@/lib/env";
import { formatSeconds } from "@/lib/duration";
import { formatPercent } from "@/lib/metrics/format";
import type { JobTypeMetrics } from "@/lib/metrics/queries";
import { INSTALL_WIDE, type AlertRule } from "./config";

/**
 * The alert rules, as pure functions of the metrics: which rules a job type breaks now.
 * Each is judged per job type, so an alert names the kind of work in trouble, and over
 * the last hour (ALERT_WINDOW_SECONDS) for the counts and rates.
 */

export { ALERT_RULES, INSTALL_WIDE, type AlertRule } from "./config";

export const ALERT_WINDOW_SECONDS = 3_600;
/** The daily dead-letter rule's window: a slow leak the hourly rule never sees. */
export const ALERT_DAILY_WINDOW_SECONDS = 86_400;

export type AlertThresholds = {
  /** More dead letters than this in the window. */
  deadLettersPerHour: number;
  /** More dead letters than this in 24 hours. */
  deadLettersPerDay: number;
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
  /** No verified request from Inngest for longer than this while jobs wait. */
  workerSilentSeconds: number;
};

export function alertThresholds(source: ServerEnv = env()): AlertThresholds {
  return {
    deadLettersPerHour: source.ALERT_DEAD_LETTERS_PER_HOUR,
    deadLettersPerDay: source.ALERT_DEAD_LETTERS_PER_DAY,
    failureRate: source.ALERT_FAILURE_RATE,
    failureRateMinJobs: source.ALERT_FAILURE_RATE_MIN_JOBS,
    oldestPendingSeconds: source.ALERT_OLDEST_PENDING_SECONDS,
    queueDepth: source.ALERT_QUEUE_DEPTH,
    stuckJobs: source.ALERT_STUCK_JOBS,
    stuckAfterSeconds: source.ALERT_STUCK_AFTER_SECONDS,
    workerSilentSeconds: source.ALERT_WORKER_SILENT_SECONDS,
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

/** Each job type with more dead letters in 24 hours than the daily threshold, given its metrics over 24 hours. */
export function failingDailyRules(daily: JobTypeMetrics[], thresholds: AlertThresholds): FailingRule[] {
  return daily
    .filter((m) => m.failed > thresholds.deadLettersPerDay)
    .map((m) => ({ rule: "dead_letters_daily", jobType: m.jobType, value: m.failed, threshold: thresholds.deadLettersPerDay }));
}

/** When Inngest last reached the app with a request whose signature verified; null if never. */
export type WorkerContact = { lastContactAt: Date | null };

/** `value` of a `worker_silent` incident when Inngest has never reached the app. */
export const NEVER_CONTACTED = -1;

/**
 * `worker_silent`, judged for the whole install: Inngest has never reached the app (no
 * sync or call ever answered), or not for longer than the threshold while jobs wait.
 * Idle installs are left alone: a quiet worker is not a missing one. The value is the
 * seconds since the last contact, or NEVER_CONTACTED.
 */
export function workerSilentRule(
  { lastContactAt }: WorkerContact,
  queueDepth: number,
  thresholds: AlertThresholds,
  now: Date,
): FailingRule[] {
  const threshold = thresholds.workerSilentSeconds;
  if (lastContactAt === null) return [{ rule: "worker_silent", jobType: INSTALL_WIDE, value: NEVER_CONTACTED, threshold }];
  const silentFor = Math.max(0, Math.floor((now.getTime() - lastContactAt.getTime()) / 1000));
  if (silentFor <= threshold || queueDepth === 0) return [];
  return [{ rule: "worker_silent", jobType: INSTALL_WIDE, value: silentFor, threshold }];
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
    case "dead_letters_daily":
      return {
        title: `${jobType}: ${jobs(value)} failed for good in the last 24 hours`,
        detail: `More than ${jobs(threshold)} of this type ran out of retries within a day: a steady leak the hourly rule doesn't catch. Read their errors in the dead letters, fix the cause, then replay them.`,
      };
    case "worker_silent":
      return value === NEVER_CONTACTED
        ? {
            title: "Inngest has never reached this app",
            detail: `No sync or function call from Inngest has succeeded, so no job will run. Sync the app in the Inngest dashboard and check INNGEST_SIGNING_KEY, APP_URL and that nothing (a proxy, deployment protection) blocks /api/inngest.`,
          }
        : {
            title: `No call from Inngest for ${formatSeconds(value)} while jobs wait`,
            detail: `Longer than ${formatSeconds(threshold)}. Jobs are queued but no worker runs them: check the app's sync state in the Inngest dashboard, INNGEST_SIGNING_KEY (a wrong key fails every call with 401), and /api/inngest's reachability.`,
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
