import { describe, expect, it } from "vitest";
import { isoToWallTime, wallTimeToIso } from "@/lib/admin/zoned-time";

describe("wall-clock times in a profile's time zone", () => {
  it("converts both ways, across the offsets of summer and winter", () => {
    expect(wallTimeToIso("2026-11-24T08:00", "Europe/Berlin")).toBe("2026-11-24T07:00:00.000Z");
    expect(wallTimeToIso("2026-07-01T08:00", "Europe/Berlin")).toBe("2026-07-01T06:00:00.000Z");
    expect(wallTimeToIso("2026-11-24T08:00", "America/Los_Angeles")).toBe("2026-11-24T16:00:00.000Z");
    expect(wallTimeToIso("2026-11-24T08:00", "UTC")).toBe("2026-11-24T08:00:00.000Z");
    expect(isoToWallTime("2026-11-24T07:00:00.000Z", "Europe/Berlin")).toBe("2026-11-24T08:00");
    expect(isoToWallTime("2026-11-24T16:30:59.999Z", "America/Los_Angeles")).toBe("2026-11-24T08:30");
  });

  it("uses the offset in force after a DST change", () => {
    // Berlin moved to UTC+2 at 02:00 on 2026-03-29.
    expect(wallTimeToIso("2026-03-29T03:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
    expect(wallTimeToIso("2026-03-29T01:30", "Europe/Berlin")).toBe("2026-03-29T00:30:00.000Z");
  });

  it("refuses what isn't a wall-clock time", () => {
    for (const value of ["2026-11-24", "2026-11-24T8:00", "2026-02-31T10:00", "2026-13-01T10:00", "2026-11-24T24:00", "2026-11-24T10:60", "yesterday", ""]) {
      expect(wallTimeToIso(value, "UTC"), value).toBeNull();
    }
  });
});
