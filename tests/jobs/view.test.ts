import { describe, expect, it } from "vitest";
import { estimateSecondsLeft } from "@/lib/jobs/view";

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
