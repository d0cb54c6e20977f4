import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getJobMetrics, getJobMetricsSeries, type JobTypeMetrics } from "@/lib/metrics/queries";
import { createTeamOrg, serviceClient, signUpUser } from "../support/supabase";
import { completedJobs, deleteJobsOfTypes, insertJobs, percentileCont, shift, uniqueType } from "./history";

/**
 * The SQL metrics against a history seeded with explicit timestamps, every expected figure
 * worked out by hand. The window is the hour before T, T being a round hour yesterday.
 */
describe(`job metrics (${inject("database")})`, () => {
  const db = serviceClient();
  const T = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 24 * 3_600_000);
  const from = shift(T, -3_600);
  const minutes = (n: number) => shift(T, -60 * n);
  const STUCK_LIMIT = 3_600;

  const typeA = uniqueType("metrics-a");
  const typeB = uniqueType("metrics-b");
  const typeC = uniqueType("metrics-c");
  let orgA: string;
  let orgB: string;

  // Type A: ten jobs of 1 s, 2 s … 10 s, one every 5 minutes from the window's first instant.
  const durationsA = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const finishedA = (i: number) => shift(from, i * 300);
  // Type B: four jobs of 2, 4, 6 and 8 s.
  const durationsB = [2, 4, 6, 8];

  const metrics = async (orgIds: string[] | null) =>
    new Map(
      (await getJobMetrics(db, { from, to: T, now: T, orgIds, stuckAfterSeconds: STUCK_LIMIT }))
        .filter((m) => [typeA, typeB, typeC].includes(m.jobType))
        .map((m) => [m.jobType, m]),
    );

  beforeAll(async () => {
    const owner = await signUpUser("Metrics Owner");
    orgA = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
    orgB = await createTeamOrg([{ userId: owner.id, role: "owner" }]);

    await insertJobs(orgA, typeA, [
      ...completedJobs(durationsA, finishedA),
      { status: "failed", startedAt: minutes(11), failedAt: minutes(10) },
      { status: "failed", startedAt: minutes(11), failedAt: minutes(10) },
      // Outside the window: failed a second before it, completed at its (exclusive) end.
      { status: "failed", startedAt: minutes(70), failedAt: shift(from, -1) },
      ...completedJobs([100], () => T),
      // Neither a success nor a failure.
      { status: "cancelled", cancelledAt: minutes(30) },
      // The queue now: two pending (oldest created 2 h before T), one retrying, two running.
      { status: "pending", createdAt: minutes(120) },
      { status: "pending", createdAt: minutes(5) },
      { status: "retrying", createdAt: minutes(1), startedAt: shift(T, -30) },
      { status: "processing", createdAt: minutes(2), startedAt: shift(T, -60) },
      { status: "processing", createdAt: minutes(2), startedAt: shift(T, -5) },
    ]);
    // Another organisation's type-A jobs: counted for everyone, never for orgA's admins.
    await insertJobs(orgB, typeA, [
      { status: "failed", startedAt: minutes(11), failedAt: minutes(10) },
      { status: "failed", startedAt: minutes(11), failedAt: minutes(10) },
      { status: "failed", startedAt: minutes(11), failedAt: minutes(10) },
    ]);
    await insertJobs(orgB, typeB, [
      ...completedJobs(durationsB, () => minutes(20)),
      { status: "failed", startedAt: minutes(21), failedAt: minutes(20) },
      { status: "processing", startedAt: shift(T, -20) },
    ]);
    // Type C never completed, so only the limit can call a job stuck.
    await insertJobs(orgB, typeC, [
      { status: "processing", startedAt: minutes(120) },
      { status: "processing", startedAt: minutes(30) },
    ]);
  });

  afterAll(async () => {
    await deleteJobsOfTypes([typeA, typeB, typeC]);
  });

  it("counts, rates and percentiles per job type equal the hand-computed answers", async () => {
    const a = (await metrics([orgA])).get(typeA)!;
    const ms = durationsA.map((s) => s * 1000);
    // percentile_cont over 1,000 … 10,000 ms: p50 = 5,500, p95 = 9,550, p99 = 9,910.
    expect(percentileCont(ms, 0.5)).toBe(5_500);
    expect(a).toEqual<JobTypeMetrics>({
      jobType: typeA,
      completed: 10,
      failed: 2,
      throughputPerMinute: expect.closeTo(12 / 60, 9) as number,
      successRate: expect.closeTo(10 / 12, 9) as number,
      failureRate: expect.closeTo(2 / 12, 9) as number,
      p50Ms: expect.closeTo(percentileCont(ms, 0.5), 6) as number,
      p95Ms: expect.closeTo(percentileCont(ms, 0.95), 6) as number,
      p99Ms: expect.closeTo(percentileCont(ms, 0.99), 6) as number,
      pending: 2,
      retrying: 1,
      processing: 2,
      queueDepth: 3,
      oldestPendingSeconds: 7_200,
      // Twice the p95 of the last 24 h (the same ten jobs): 19.1 s. Running 60 s and
      // retrying since 30 s are stuck; running 5 s is not.
      stuck: 2,
      stuckAfterSeconds: expect.closeTo(2 * percentileCont(durationsA, 0.95), 9) as number,
    });
    expect(a.p95Ms).toBeCloseTo(9_550, 6);
    expect(a.p99Ms).toBeCloseTo(9_910, 6);
  });

  it("counts only the organisations asked for, and every organisation for null", async () => {
    const onlyA = await metrics([orgA]);
    expect([...onlyA.keys()]).toEqual([typeA]);

    const onlyB = await metrics([orgB]);
    expect([...onlyB.keys()].sort()).toEqual([typeA, typeB, typeC].sort());
    expect(onlyB.get(typeA)).toMatchObject({ completed: 0, failed: 3, queueDepth: 0, p50Ms: null });

    const b = onlyB.get(typeB)!;
    const msB = durationsB.map((s) => s * 1000);
    expect(b).toMatchObject({ completed: 4, failed: 1, queueDepth: 0, processing: 1, oldestPendingSeconds: null });
    expect(b.throughputPerMinute).toBeCloseTo(5 / 60, 9);
    expect(b.successRate).toBeCloseTo(0.8, 9);
    expect(b.p50Ms).toBeCloseTo(percentileCont(msB, 0.5), 6); // 5,000
    expect(b.p95Ms).toBeCloseTo(percentileCont(msB, 0.95), 6); // 7,700
    expect(b.p99Ms).toBeCloseTo(percentileCont(msB, 0.99), 6); // 7,940
    // Running 20 s against twice a 7.7 s p95: stuck.
    expect(b.stuck).toBe(1);
    expect(b.stuckAfterSeconds).toBeCloseTo(15.4, 9);

    // No baseline: the limit decides. Running 2 h is stuck, running 30 min is not.
    expect(onlyB.get(typeC)).toMatchObject({
      completed: 0,
      failed: 0,
      throughputPerMinute: 0,
      successRate: null,
      failureRate: null,
      p95Ms: null,
      processing: 2,
      stuck: 1,
      stuckAfterSeconds: STUCK_LIMIT,
    });

    const everyone = await metrics(null);
    expect(everyone.get(typeA)).toMatchObject({ completed: 10, failed: 5, queueDepth: 3, stuck: 2 });
    expect(everyone.get(typeA)!.failureRate).toBeCloseTo(5 / 15, 9);
    expect(everyone.get(typeA)!.p95Ms).toBeCloseTo(9_550, 6);
    expect(everyone.get(typeB)).toEqual(b);
  });

  it("buckets the window for charts: every bucket present, with its own p95", async () => {
    const series = await getJobMetricsSeries(db, { from, to: T, orgIds: [orgA], bucketSeconds: 900 });
    expect(series).toEqual([
      // 1, 2, 3 s → p95 2.9 s; 4, 5, 6 s → 5.9 s; 7, 8, 9 s → 8.9 s; 10 s alone, and the two failures.
      { bucketStart: minutes(60).toISOString(), jobType: typeA, completed: 3, failed: 0, p95Ms: expect.closeTo(2_900, 6) },
      { bucketStart: minutes(45).toISOString(), jobType: typeA, completed: 3, failed: 0, p95Ms: expect.closeTo(5_900, 6) },
      { bucketStart: minutes(30).toISOString(), jobType: typeA, completed: 3, failed: 0, p95Ms: expect.closeTo(8_900, 6) },
      { bucketStart: minutes(15).toISOString(), jobType: typeA, completed: 1, failed: 2, p95Ms: 10_000 },
    ]);

    // A bucket with nothing in it is there, with zeros and no p95.
    const quiet = await getJobMetricsSeries(db, { from: minutes(120), to: T, orgIds: [orgB], bucketSeconds: 1_800 });
    expect(quiet.filter((p) => p.jobType === typeB).map((p) => [p.completed, p.failed, p.p95Ms])).toEqual([
      [0, 0, null],
      [0, 0, null],
      [0, 0, null],
      [4, 1, expect.closeTo(7_700, 6)],
    ]);
  });

  it("refuses a window that ends before it starts, or too many buckets", async () => {
    await expect(getJobMetrics(db, { from: T, to: from, now: T, orgIds: null, stuckAfterSeconds: 60 })).rejects.toThrow(
      /the window must end after it starts/,
    );
    await expect(getJobMetricsSeries(db, { from, to: T, orgIds: null, bucketSeconds: 1 })).rejects.toThrow(
      /at most 1,000 per window/,
    );
  });
});
