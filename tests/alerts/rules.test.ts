import { describe, expect, it } from "vitest";
import {
  alertThresholds,
  describeRule,
  failingDailyRules,
  failingRules,
  NEVER_CONTACTED,
  workerSilentRule,
  type AlertThresholds,
} from "@/lib/alerts/rules";
import { parseEnv } from "@/lib/env";
import type { JobTypeMetrics } from "@/lib/metrics/queries";
import { validEnv } from "../support/env";

const quiet: JobTypeMetrics = {
  jobType: "send-digest",
  completed: 100,
  failed: 0,
  throughputPerMinute: 100 / 60,
  successRate: 1,
  failureRate: 0,
  p50Ms: 200,
  p95Ms: 400,
  p99Ms: 500,
  pending: 0,
  retrying: 0,
  processing: 0,
  queueDepth: 0,
  oldestPendingSeconds: null,
  stuck: 0,
  stuckAfterSeconds: 0.8,
};

const thresholds: AlertThresholds = alertThresholds(parseEnv(validEnv));

const rulesOf = (metrics: Partial<JobTypeMetrics>) => failingRules([{ ...quiet, ...metrics }], thresholds).map((f) => f.rule);

describe("alert rules", () => {
  it("default to the thresholds the issue names", () => {
    expect(thresholds).toEqual({
      deadLettersPerHour: 10,
      deadLettersPerDay: 100,
      failureRate: 0.05,
      failureRateMinJobs: 20,
      oldestPendingSeconds: 3_600,
      queueDepth: 1_000,
      stuckJobs: 1,
      stuckAfterSeconds: 3_600,
      workerSilentSeconds: 900,
    });
  });

  it("pass for a healthy job type", () => {
    expect(rulesOf({})).toEqual([]);
  });

  it("fail on more than 10 dead letters in the hour, not on 10", () => {
    expect(rulesOf({ completed: 1_000, failed: 10, failureRate: 10 / 1_010 })).toEqual([]);
    expect(rulesOf({ completed: 1_000, failed: 11, failureRate: 11 / 1_011 })).toEqual(["dead_letters"]);
  });

  it("fail on a failure rate above 5 %, once enough jobs finished to judge it", () => {
    expect(rulesOf({ completed: 19, failed: 1, failureRate: 0.05 })).toEqual([]);
    expect(rulesOf({ completed: 18, failed: 2, failureRate: 0.1 })).toEqual(["failure_rate"]);
    // One failure out of two is 50 %, and says little.
    expect(rulesOf({ completed: 1, failed: 1, failureRate: 0.5 })).toEqual([]);
  });

  it("fail on a pending job older than an hour, a deep queue, and a stuck job", () => {
    expect(rulesOf({ oldestPendingSeconds: 3_600 })).toEqual([]);
    expect(rulesOf({ oldestPendingSeconds: 3_601 })).toEqual(["oldest_pending"]);
    expect(rulesOf({ queueDepth: 1_001 })).toEqual(["queue_depth"]);
    expect(rulesOf({ stuck: 1 })).toEqual(["stuck_jobs"]);
  });

  it("report the figure and the threshold, per job type", () => {
    expect(failingRules([{ ...quiet, jobType: "generate-report", stuck: 3 }], thresholds)).toEqual([
      { rule: "stuck_jobs", jobType: "generate-report", value: 3, threshold: 1 },
    ]);
  });

  it("say what is wrong in a line", () => {
    expect(describeRule("failure_rate", "send-digest", 0.125, 0.05).title).toBe(
      "send-digest: 12.5% of jobs failed in the last hour",
    );
    expect(describeRule("oldest_pending", "generate-report", 5_400, 3_600).title).toBe(
      "generate-report: a job has waited 1.5 h to start",
    );
  });

  it("fail on more than 100 dead letters in 24 hours, not on 100, judged on the day's figures", () => {
    const daily = (failed: number) => failingDailyRules([{ ...quiet, failed }], thresholds);
    expect(daily(100)).toEqual([]);
    expect(daily(101)).toEqual([{ rule: "dead_letters_daily", jobType: "send-digest", value: 101, threshold: 100 }]);
    // 101 in a day is a slow leak the hourly rule never sees.
    expect(rulesOf({ failed: 5 })).toEqual([]);
    expect(describeRule("dead_letters_daily", "send-digest", 101, 100).title).toBe(
      "send-digest: 101 jobs failed for good in the last 24 hours",
    );
  });

  describe("worker_silent", () => {
    const now = new Date("2026-12-05T12:00:00Z");
    const ago = (seconds: number) => ({ lastContactAt: new Date(now.getTime() - seconds * 1000) });

    it("fails when Inngest hasn't called for more than 15 minutes while jobs wait", () => {
      expect(workerSilentRule(ago(900), 3, thresholds, now)).toEqual([]);
      expect(workerSilentRule(ago(901), 3, thresholds, now)).toEqual([
        { rule: "worker_silent", jobType: "*", value: 901, threshold: 900 },
      ]);
      expect(describeRule("worker_silent", "*", 1_800, 900).title).toBe("No call from Inngest for 30 min while jobs wait");
    });

    it("leaves an idle install alone: nothing waits, nothing is missed", () => {
      expect(workerSilentRule(ago(86_400), 0, thresholds, now)).toEqual([]);
    });

    it("fails when Inngest never reached the app, jobs or not", () => {
      expect(workerSilentRule({ lastContactAt: null }, 0, thresholds, now)).toEqual([
        { rule: "worker_silent", jobType: "*", value: NEVER_CONTACTED, threshold: 900 },
      ]);
      expect(describeRule("worker_silent", "*", NEVER_CONTACTED, 900).title).toBe("Inngest has never reached this app");
    });

    it("reads a contact from a clock ahead of this one as just now", () => {
      expect(workerSilentRule(ago(-30), 3, thresholds, now)).toEqual([]);
    });
  });
});
