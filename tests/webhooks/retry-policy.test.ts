import { describe, expect, it } from "vitest";
import {
  classifyStatus,
  decideOutcome,
  MAX_ATTEMPTS,
  parseRetryAfterMs,
  RETRY_AFTER_CAP_MS,
  scheduledDelayMs,
} from "@/lib/webhooks/retry-policy";

const middle = () => 0.5; // no jitter
const lowest = () => 0; // -20 %
const highest = () => 0.999_999; // almost +20 %

describe("classifyStatus", () => {
  it.each([200, 201, 204, 299])("%i is delivered", (status) => expect(classifyStatus(status)).toBe("delivered"));
  it.each([400, 401, 403, 404, 410, 413, 422])("%i is a permanent refusal", (status) =>
    expect(classifyStatus(status)).toBe("permanent"),
  );
  it.each([408, 409, 425, 429, 500, 502, 503, 504, 301, 302, 307, 100])("%i is retried", (status) =>
    expect(classifyStatus(status)).toBe("retryable"),
  );
});

describe("scheduledDelayMs", () => {
  it("follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h over 8 attempts", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => scheduledDelayMs(attempt, { random: middle }));
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(scheduledDelayMs(8, { random: middle })).toBeNull();
    const totalHours = delays.reduce<number>((sum, ms) => sum + (ms ?? 0), 0) / 3_600_000;
    expect(totalHours).toBeCloseTo(27.6, 1);
  });

  it("jitters by at most 20 % either way", () => {
    expect(scheduledDelayMs(2, { random: lowest })).toBe(240_000);
    expect(scheduledDelayMs(2, { random: highest })).toBeGreaterThan(359_000);
    expect(scheduledDelayMs(2, { random: highest })).toBeLessThanOrEqual(360_000);
  });

  it("scales the schedule by the time scale", () => {
    expect(scheduledDelayMs(1, { timeScale: 0.001, random: middle })).toBe(5);
    expect(scheduledDelayMs(7, { timeScale: 0.01, random: middle })).toBe(360_000);
  });
});

describe("parseRetryAfterMs", () => {
  const now = new Date("2026-12-02T12:00:00Z");

  it("reads seconds", () => expect(parseRetryAfterMs("2", now)).toBe(2_000));
  it("reads an HTTP date", () => expect(parseRetryAfterMs("Wed, 02 Dec 2026 12:00:30 GMT", now)).toBe(30_000));
  it("caps at an hour", () => {
    expect(parseRetryAfterMs("86400", now)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfterMs("Thu, 03 Dec 2026 12:00:00 GMT", now)).toBe(RETRY_AFTER_CAP_MS);
  });
  it.each([null, "", "soon", "-5", "1.5", "Wed, 02 Dec 2026 11:00:00 GMT", "0"])("ignores %s", (value) =>
    expect(parseRetryAfterMs(value, now)).toBeNull(),
  );
});

describe("decideOutcome", () => {
  const base = { timeScale: 1, random: middle, now: new Date("2026-12-02T12:00:00Z") };

  it("delivers on 2xx", () => expect(decideOutcome({ ...base, attempt: 1, status: 204 })).toEqual({ outcome: "delivered" }));

  it("fails at once on a permanent 4xx, whatever attempts are left", () =>
    expect(decideOutcome({ ...base, attempt: 1, status: 410 })).toEqual({ outcome: "failed", permanent: true }));

  it("retries a 5xx, a timeout (no status) and a redirect on the schedule", () => {
    expect(decideOutcome({ ...base, attempt: 1, status: 500 })).toEqual({ outcome: "retry", delayMs: 5_000 });
    expect(decideOutcome({ ...base, attempt: 2, status: null })).toEqual({ outcome: "retry", delayMs: 300_000 });
    expect(decideOutcome({ ...base, attempt: 3, status: 302 })).toEqual({ outcome: "retry", delayMs: 1_800_000 });
  });

  it("waits for Retry-After when it is longer than the schedule, and the schedule when it is longer", () => {
    expect(decideOutcome({ ...base, timeScale: 0.001, attempt: 1, status: 429, retryAfter: "2" })).toEqual({
      outcome: "retry",
      delayMs: 2_000,
    });
    expect(decideOutcome({ ...base, attempt: 2, status: 503, retryAfter: "2" })).toEqual({ outcome: "retry", delayMs: 300_000 });
  });

  it("does not scale Retry-After", () =>
    expect(decideOutcome({ ...base, timeScale: 0.01, attempt: 1, status: 429, retryAfter: "60" })).toEqual({
      outcome: "retry",
      delayMs: 60_000,
    }));

  it("fails after the 8th attempt", () =>
    expect(decideOutcome({ ...base, attempt: 8, status: 500 })).toEqual({ outcome: "failed", permanent: false }));
});
