import { describe, expect, it } from "vitest";
import type { Job } from "@/lib/jobs/state";
import { estimateSecondsLeft, safeError, toStatusView } from "@/lib/jobs/view";

describe("estimateSecondsLeft", () => {
  const now = new Date("2026-11-23T10:01:00.000Z");
  const startedAt = "2026-11-23T10:00:00.000Z";

  it("extrapolates the rate so far", () => {
    expect(estimateSecondsLeft({ status: "processing", progress: 25, started_at: startedAt }, now)).toBe(180);
  });

  it("says nothing without progress, when not running, or when done", () => {
    expect(estimateSecondsLeft({ status: "processing", progress: 0, started_at: startedAt }, now)).toBeNull();
    expect(estimateSecondsLeft({ status: "retrying", progress: 50, started_at: startedAt }, now)).toBeNull();
    expect(estimateSecondsLeft({ status: "completed", progress: 100, started_at: startedAt }, now)).toBeNull();
  });
});

describe("safeError", () => {
  it("tells users what happened without the internal message", () => {
    expect(safeError({ status: "failed", attempt: 4, max_attempts: 4 })).toBe(
      "This job failed after 4 attempts. We have the details; you can try again.",
    );
    expect(safeError({ status: "retrying", attempt: 1, max_attempts: 4 })).toMatch(/retrying \(attempt 2 of 4\)/);
    expect(safeError({ status: "completed", attempt: 1, max_attempts: 4 })).toBeNull();
  });
});

describe("toStatusView", () => {
  const job = (type: string, payload: Job["payload"]): Job => ({
    id: "00000000-0000-4000-8000-000000000001",
    org_id: "00000000-0000-4000-8000-000000000002",
    user_id: "00000000-0000-4000-8000-000000000003",
    type,
    status: "completed",
    progress: 100,
    progress_message: null,
    payload,
    result: { sent: true },
    error: null,
    first_failed_at: null,
    attempt: 1,
    max_attempts: 5,
    notify_by_email: false,
    idempotency_key: null,
    inngest_event_id: null,
    inngest_run_id: null,
    event_name: null,
    replay_of: null,
    replayed_at: null,
    seq: 1,
    version: 1,
    created_at: "2026-11-23T10:00:00.000Z",
    started_at: "2026-11-23T10:00:00.000Z",
    completed_at: "2026-11-23T10:00:01.000Z",
    failed_at: null,
    cancelled_at: null,
    updated_at: "2026-11-23T10:00:01.000Z",
  });

  it("keeps an invitation's id and nonce, which its link is derived from, out of what members read", () => {
    const payload = { orgId: "o", userId: "u", invitationId: "i", nonce: "secret-nonce" };
    const view = toStatusView(job("team-invitation", payload));
    expect(view.payload).toEqual({ orgId: "o", userId: "u" });
    expect(JSON.stringify(view)).not.toContain("secret-nonce");
  });

  it("shows other jobs' payloads as asked for", () => {
    const payload = { kind: "summary", from: "2026-10-01", to: "2026-10-02", nonce: "kept" };
    expect(toStatusView(job("report", payload)).payload).toEqual(payload);
  });
});
