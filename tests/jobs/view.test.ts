import { describe, expect, it } from "vitest";
import { estimateSecondsLeft, safeError } from "@/lib/jobs/view";

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
