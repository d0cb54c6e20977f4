import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { cancelJobsOfRun, createJob, getJob, reportProgress, transitionJob } from "@/lib/jobs/store";
import { serviceClient, signUpUser, type TestUser } from "../support/supabase";

describe("job store", () => {
  const db = serviceClient();
  let owner: TestUser;

  beforeAll(async () => {
    owner = await signUpUser("Owner");
  });

  const newJob = (extra: Partial<Parameters<typeof createJob>[1]> = {}) =>
    createJob(db, { orgId: owner.orgId, userId: owner.id, type: "report", maxAttempts: 3, ...extra });

  it("creates one job per idempotency key, even when asked concurrently", async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => newJob({ idempotencyKey: key })));
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results[0]!.job.status).toBe("pending");
  });

  it("walks a job through its lifecycle", async () => {
    const { job } = await newJob();
    expect((await transitionJob(db, job.id, { type: "start", attempt: 1, runId: "run-1" })).ok).toBe(true);
    expect((await reportProgress(db, job.id, 40, "Step 2 of 5: aggregating")).ok).toBe(true);
    expect((await transitionJob(db, job.id, { type: "retry", attempt: 1, error: "timeout" })).ok).toBe(true);
    expect((await transitionJob(db, job.id, { type: "start", attempt: 2 })).ok).toBe(true);
    const done = await transitionJob(db, job.id, { type: "complete", result: { url: "/r/1" } });
    expect(done).toMatchObject({
      ok: true,
      job: { status: "completed", progress: 100, attempt: 2, result: { url: "/r/1" }, inngest_run_id: "run-1", error: null },
    });
  });

  it("ends the job of a run cancelled outside the app, found by run id or by the event's job id", async () => {
    const runId = `run-${randomUUID()}`;
    const { job: started } = await newJob();
    await transitionJob(db, started.id, { type: "start", attempt: 1, runId });
    expect((await cancelJobsOfRun(db, { runId })).map((job) => [job.id, job.status])).toEqual([[started.id, "cancelled"]]);

    // Cancelled while still queued: no run id recorded yet, but the event named the job.
    const { job: queued } = await newJob();
    expect(await cancelJobsOfRun(db, { runId: `run-${randomUUID()}`, jobId: queued.id })).toMatchObject([
      { id: queued.id, status: "cancelled" },
    ]);
  });

  it("leaves a job alone when the cancelled run isn't its run, or the job already finished", async () => {
    const { job: running } = await newJob();
    await transitionJob(db, running.id, { type: "start", attempt: 1, runId: "the-real-run" });
    // A rerun of the same event (same jobId) was cancelled: the job belongs to the other run.
    expect(await cancelJobsOfRun(db, { runId: "a-rerun", jobId: running.id })).toEqual([]);
    expect((await getJob(db, { id: running.id }))?.status).toBe("processing");

    const { job: done } = await newJob();
    await transitionJob(db, done.id, { type: "start", attempt: 1, runId: "done-run" });
    await transitionJob(db, done.id, { type: "complete" });
    expect(await cancelJobsOfRun(db, { runId: "done-run" })).toEqual([]);
    expect((await getJob(db, { id: done.id }))?.status).toBe("completed");
  });

  it("lets exactly one of many concurrent final events win", async () => {
    const { job } = await newJob();
    await transitionJob(db, job.id, { type: "start", attempt: 1 });
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => transitionJob(db, job.id, { type: "complete" })),
      ...Array.from({ length: 4 }, () => transitionJob(db, job.id, { type: "fail", error: "late" })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const final = await getJob(db, { id: job.id });
    const winner = results.find((r) => r.ok);
    expect(final?.status).toBe(winner?.ok ? winner.job.status : "none");
  });

  it("refuses a late retry after completion and keeps the job completed", async () => {
    const { job } = await newJob();
    await transitionJob(db, job.id, { type: "start", attempt: 1 });
    await transitionJob(db, job.id, { type: "complete" });
    const late = await transitionJob(db, job.id, { type: "retry", attempt: 1, error: "late" });
    expect(late).toMatchObject({ ok: false, reason: "the job is already completed" });
    expect((await getJob(db, { id: job.id }))?.status).toBe("completed");
  });

  it("has the database refuse a write that bypasses the state machine", async () => {
    const { job } = await newJob();
    await transitionJob(db, job.id, { type: "start", attempt: 1 });
    await reportProgress(db, job.id, 50);
    // PostgREST answers 400/23514; @supabase/lite answers 500 (see devstack/README.md).
    const back = await db.from("jobs").update({ progress: 10 }).eq("id", job.id);
    expect(back.error?.message).toMatch(/progress cannot go back from 50 to 10/);

    await transitionJob(db, job.id, { type: "cancel" });
    const revive = await db.from("jobs").update({ status: "processing" }).eq("id", job.id);
    expect(revive.error?.message).toMatch(/is cancelled and cannot become processing/);
    expect(await getJob(db, { id: job.id })).toMatchObject({ status: "cancelled", progress: 50 });
  });

  it("reports a missing job instead of throwing", async () => {
    expect(await transitionJob(db, randomUUID(), { type: "cancel" })).toEqual({ ok: false, reason: "no such job", job: null });
  });
});
