import { describe, expect, it } from "vitest";
import { addDaysToDate, daysBetween, futureDayMessage, localToday, splitIntoWindows } from "@/lib/reports/request";
import { describeReportSize } from "@/lib/reports/size";
import { reportFileName } from "@/lib/reports/store";

describe("report days are the asker's local days", () => {
  // 23:30 UTC on Nov 1 is already Nov 2 in Berlin (UTC+1) and still Nov 1 in New York.
  const now = new Date("2026-11-01T23:30:00Z");

  it("knows today where the asker is", () => {
    expect(localToday("UTC", now)).toBe("2026-11-01");
    expect(localToday("Europe/Berlin", now)).toBe("2026-11-02");
    expect(localToday("America/New_York", now)).toBe("2026-11-01");
  });

  it("says which today, and whose, a future day is after", () => {
    expect(futureDayMessage("2026-11-01", "UTC")).toBe(
      "A report can't include future days: today is 2026-11-01 in your time zone (UTC).",
    );
    expect(futureDayMessage("2026-11-02", "Europe/Berlin")).toMatch(/2026-11-02 .*Europe\/Berlin/);
  });

  it("names the zone in the file name", () => {
    const params = { kind: "summary", from: "2026-11-01", to: "2026-11-30", format: "csv" } as const;
    expect(reportFileName({ ...params, timeZone: "Europe/Berlin" })).toBe(
      "offload-summary-2026-11-01-to-2026-11-30-Europe-Berlin.csv",
    );
    expect(reportFileName({ ...params, timeZone: "UTC" })).toBe("offload-summary-2026-11-01-to-2026-11-30-UTC.csv");
  });
});

// Calendar days, whatever zone the server runs in: the ranges below cross a DST change
// (Europe and the US in late March and early November) and a leap day.
describe("a report's range in whole days", () => {
  it("counts and moves by calendar days", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-11-01", "2026-11-01")).toBe(0);
    expect(daysBetween("2026-11-02", "2026-11-01")).toBe(-1);
    expect(daysBetween("2028-02-28", "2028-03-01")).toBe(2);
    expect(addDaysToDate("2026-03-31", -29)).toBe("2026-03-02");
    expect(addDaysToDate("2026-10-31", 2)).toBe("2026-11-02");
    expect(addDaysToDate("2028-02-28", 1)).toBe("2028-02-29");
  });

  it("splits a range into near-equal windows that cover it without gaps", () => {
    expect(splitIntoWindows("2026-03-01", "2026-03-31", 3)).toEqual([
      { from: "2026-03-01", to: "2026-03-10" },
      { from: "2026-03-11", to: "2026-03-20" },
      { from: "2026-03-21", to: "2026-03-31" },
    ]);
    expect(splitIntoWindows("2026-11-01", "2026-11-02", 10)).toEqual([
      { from: "2026-11-01", to: "2026-11-01" },
      { from: "2026-11-02", to: "2026-11-02" },
    ]);
    expect(splitIntoWindows("2026-11-01", "2026-11-01", 10)).toEqual([{ from: "2026-11-01", to: "2026-11-01" }]);
  });
});

describe("a report's size", () => {
  it("counts an export's rows, which are its activities", () => {
    expect(describeReportSize("activity", { rowCount: 1234, activityCount: 1234 })).toBe("1,234 rows");
    expect(describeReportSize("activity", { rowCount: 1, activityCount: 1 })).toBe("1 row");
  });

  it("gives a summary's rows and the activities they summarise", () => {
    expect(describeReportSize("summary", { rowCount: 180, activityCount: 535_159 })).toBe(
      "180 rows summarising 535,159 activities",
    );
    expect(describeReportSize("summary", { rowCount: 1, activityCount: 1 })).toBe("1 row summarising 1 activity");
    expect(describeReportSize("summary", { rowCount: 0, activityCount: 0 })).toBe("0 rows summarising 0 activities");
  });

  it("gives only the rows for a report finished before activities were counted", () => {
    expect(describeReportSize("summary", { rowCount: 180 })).toBe("180 rows");
  });
});
