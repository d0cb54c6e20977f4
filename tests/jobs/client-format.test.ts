import { describe, expect, it } from "vitest";
import { formatElapsed, formatTimeLeft, isoDuration } from "@/lib/jobs/client/format";
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

describe("formatTimeLeft", () => {
  it("rounds to what a linear estimate can honestly claim", () => {
    expect(formatTimeLeft(null)).toBeNull();
    expect(formatTimeLeft(4)).toBe("A few seconds left");
    expect(formatTimeLeft(23)).toBe("About 20 seconds left");
    expect(formatTimeLeft(70)).toBe("About a minute left");
    expect(formatTimeLeft(130)).toBe("About 2 minutes left");
    expect(formatTimeLeft(4 * 3600)).toBe("About 4 hours left");
  });
});

describe("formatElapsed and isoDuration", () => {
  it("read like a stopwatch and like ISO 8601", () => {
    expect(formatElapsed(7)).toBe("0:07");
    expect(formatElapsed(3723)).toBe("1:02:03");
    expect(isoDuration(3723)).toBe("PT1H2M3S");
    expect(isoDuration(0)).toBe("PT0S");
  });
});
