/**
 * Inngest's time strings: durations such as "1w2d3h4m5s" (what the SDK's `timeStr` emits for
 * sleeps, timeouts and flow-control periods) and ISO dates (`step.sleepUntil`).
 */

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
// Fractions ("1.5h", "0.5s") are allowed, as Inngest's parser allows them.
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|w|d|h|m|s))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g;

/** Milliseconds in a duration string, or undefined if it isn't one. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** Like parseDuration, but throws with the field name so a bad config is reported clearly. */
export function requireDuration(text: string, what: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`${what}: "${text}" is not a duration like "30s" or "1h30m"`);
  return ms;
}

/**
 * When a sleep ends. `step.sleep` sends a duration, `step.sleepUntil` an ISO date; both
 * arrive in the op's `name`. Returns undefined if it is neither.
 * A zero or negative duration reaches us as "" (the SDK's `timeStr` writes no units for
 * it), which Inngest treats as no wait at all; a past date simply lies in the past.
 */
export function sleepTarget(text: string, now: number): number | undefined {
  if (text.trim() === "") return now;
  const duration = parseDuration(text);
  if (duration !== undefined) return now + duration;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}

export const HOUR = UNIT_MS.h;
export const DAY = UNIT_MS.d;
