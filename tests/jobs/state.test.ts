import { describe, expect, it } from "vitest";
import { nextState, type JobSnapshot, type JobStatus } from "@/lib/jobs/state";

const now = new Date("2026-11-23T10:00:00.000Z");
const job = (status: JobStatus, extra: Partial<JobSnapshot> = {}): JobSnapshot => ({
  status,
  progress: 0,
  started_at: null,
  ...extra,
});

describe("job state machine", () => {
  it("starts a pending job: processing, attempt recorded, started_at set once", () => {
    expect(nextState(job("pending"), { type: "start", attempt: 1, runId: "run-1" }, now)).toEqual({
      ok: true,
      patch: { status: "processing", attempt: 1, started_at: now.toISOString(), error: null, inngest_run_id: "run-1" },
    });
    const restarted = nextState(job("retrying", { started_at: "2026-11-23T09:00:00.000Z" }), {
      type: "start",
      attempt: 2,
    });
    expect(restarted).toMatchObject({ ok: true, patch: { status: "processing", attempt: 2, started_at: "2026-11-23T09:00:00.000Z" } });
  });

  it.each(["completed", "failed", "cancelled"] as const)("lets nothing leave %s", (status) => {
    for (const event of [
      { type: "start", attempt: 9 },
      { type: "progress", progress: 100 },
      { type: "retry", attempt: 9, error: "late" },
      { type: "complete" },
      { type: "fail", error: "late" },
      { type: "cancel" },
    ] as const) {
      expect(nextState(job(status), event)).toEqual({ ok: false, reason: `the job is already ${status}` });
    }
  });

  it("never moves progress back, and only reports it while processing", () => {
    expect(nextState(job("processing", { progress: 40 }), { type: "progress", progress: 39 })).toMatchObject({ ok: false });
    expect(nextState(job("processing", { progress: 40 }), { type: "progress", progress: 40, message: "Step 2 of 5" })).toEqual({
      ok: true,
      patch: { progress: 40, progress_message: "Step 2 of 5" },
    });
    expect(nextState(job("processing"), { type: "progress", progress: 101 })).toMatchObject({ ok: false });
    expect(nextState(job("pending"), { type: "progress", progress: 10 })).toMatchObject({ ok: false });
  });

  it("completes with progress 100 and the result; fails with the error", () => {
    expect(nextState(job("processing", { progress: 60, started_at: "2026-11-23T09:59:00.000Z" }), { type: "complete", result: { rows: 3 } }, now)).toEqual({
      ok: true,
      patch: {
        status: "completed",
        progress: 100,
        result: { rows: 3 },
        error: null,
        started_at: "2026-11-23T09:59:00.000Z",
        completed_at: now.toISOString(),
      },
    });
    expect(nextState(job("retrying"), { type: "fail", error: "boom", attempt: 4 }, now)).toEqual({
      ok: true,
      patch: { status: "failed", error: "boom", failed_at: now.toISOString(), attempt: 4 },
    });
  });
});
