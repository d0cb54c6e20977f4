import { describe, expect, it } from "vitest";
import { notificationPollInterval } from "@/lib/notifications/client/poll-interval";

describe("notificationPollInterval", () => {
  it("waits 15 s at first, then 1.5 times longer each time, up to a minute", () => {
    expect(notificationPollInterval(0)).toBe(15_000);
    expect(notificationPollInterval(14_999)).toBe(15_000);
    expect(notificationPollInterval(15_000)).toBe(22_500);
    expect(notificationPollInterval(37_500)).toBe(33_750);
    expect(notificationPollInterval(71_250)).toBe(50_625);
    expect(notificationPollInterval(121_875)).toBe(60_000);
    expect(notificationPollInterval(24 * 3600_000)).toBe(60_000);
  });

  it("never waits less as time goes on", () => {
    const waits = Array.from({ length: 300 }, (_, second) => notificationPollInterval(second * 1_000));
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
  });
});
