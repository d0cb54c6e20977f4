import { describe, expect, it } from "vitest";
import { describeWait, formatDuration, formatElapsed, formatSeconds, formatTimeLeft, isoDuration } from "@/lib/duration";

describe("formatDuration: a metric in the console's table or an alert", () => {
  it("picks the unit a person reads at a glance, to one decimal", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4_240)).toBe("4.2 s");
    expect(formatDuration(210_000)).toBe("3.5 min");
    expect(formatDuration(4_320_000)).toBe("1.2 h");
    expect(formatSeconds(90)).toBe("1.5 min");
  });

  it("shows a dash when there is nothing measured", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatSeconds(null)).toBe("—");
  });
});

describe("formatElapsed and isoDuration: the job card's stopwatch", () => {
  it("reads like a stopwatch, and keeps counting hours past a day", () => {
    expect(formatElapsed(0)).toBe("0:00");
    expect(formatElapsed(7.9)).toBe("0:07");
    expect(formatElapsed(754)).toBe("12:34");
    expect(formatElapsed(3723)).toBe("1:02:03");
    expect(formatElapsed(26 * 3600)).toBe("26:00:00");
    expect(formatElapsed(-3)).toBe("0:00");
  });

  it("gives <time> a duration HTML accepts", () => {
    expect(isoDuration(3723)).toBe("PT1H2M3S");
    expect(isoDuration(3600)).toBe("PT1H");
    expect(isoDuration(60)).toBe("PT1M");
    expect(isoDuration(0)).toBe("PT0S");
  });
});

describe("formatTimeLeft: the job card's estimate", () => {
  it("rounds to what a linear estimate can honestly claim", () => {
    expect(formatTimeLeft(null)).toBeNull();
    expect(formatTimeLeft(-1)).toBeNull();
    expect(formatTimeLeft(4)).toBe("A few seconds left");
    expect(formatTimeLeft(23)).toBe("About 20 seconds left");
    expect(formatTimeLeft(70)).toBe("About a minute left");
    expect(formatTimeLeft(130)).toBe("About 2 minutes left");
    expect(formatTimeLeft(70 * 60)).toBe("About an hour left");
    expect(formatTimeLeft(4 * 3600)).toBe("About 4 hours left");
  });
});

describe("describeWait: how long a rate-limited user waits", () => {
  it("says seconds, then whole minutes rounded up, in words", () => {
    expect(describeWait(1)).toBe("1 second");
    expect(describeWait(0.2)).toBe("1 second");
    expect(describeWait(45)).toBe("45 seconds");
    expect(describeWait(89)).toBe("89 seconds");
    expect(describeWait(90)).toBe("2 minutes");
    expect(describeWait(121)).toBe("3 minutes");
    expect(describeWait(60 * 60)).toBe("60 minutes");
  });
});
