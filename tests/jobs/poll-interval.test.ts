import { describe, expect, it } from "vitest";
import { pollInterval } from "@/lib/jobs/client/poll-interval";

describe("pollInterval", () => {
  it("polls every second for ten seconds, then backs off by 1.5× to five seconds", () => {
    expect(pollInterval(0)).toBe(1_000);
    expect(pollInterval(9_999)).toBe(1_000);
    expect(pollInterval(10_000)).toBe(1_500);
    expect(pollInterval(11_500)).toBe(2_250);
    expect(pollInterval(60_000)).toBe(5_000);
    expect(pollInterval(3_600_000)).toBe(5_000);
  });
});
