import { describe, expect, it } from "vitest";
import { cronSchedules } from "@/inngest/events";
import { scheduleTimes } from "@/lib/admin/crons";

describe("scheduleTimes", () => {
  const now = new Date("2026-12-01T12:20:05Z");

  it("gives the last and next time an hourly schedule falls due", () => {
    expect(scheduleTimes(cronSchedules["daily-digest"], now)).toEqual({
      previous: new Date("2026-12-01T12:00:00Z"),
      next: new Date("2026-12-01T13:00:00Z"),
    });
  });

  it("reads the TZ= prefix as Inngest does", () => {
    expect(scheduleTimes(cronSchedules["cleanup-jobs"], now)).toEqual({
      previous: new Date("2026-12-01T03:30:00Z"),
      next: new Date("2026-12-02T03:30:00Z"),
    });
    // 09:00 in Paris is 08:00 UTC in winter.
    expect(scheduleTimes("TZ=Europe/Paris 0 9 * * *", now).next).toEqual(new Date("2026-12-02T08:00:00Z"));
  });
});
