/**
 * When to try a webhook message again (Svix's schedule): after the first attempt 5 s, then
 * 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, about 27.6 hours in all over 8 attempts.
 */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;

export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

/** How far a delay is moved either way, so endpoints that failed together don't retry together. */
export const RETRY_JITTER = 0.2;

/** The longest Retry-After honoured: a receiver can't park a message for a day. */
export const RETRY_AFTER_CAP_MS = 3_600_000;

export type StatusClass = "delivered" | "permanent" | "retryable";

/** 4xx statuses that mean "not now" rather than "never": timeout, conflict, too early, rate limit. */
const retryable4xx = new Set([408, 409, 425, 429]);

/**
 * What a receiver's status means: 2xx delivered; any other 4xx a permanent refusal (gone,
 * bad request, unauthorised); everything else, 3xx (redirects aren't followed) and 5xx
 * included, worth trying again.
 */
export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return "delivered";
  if (status >= 400 && status < 500 && !retryable4xx.has(status)) return "permanent";
  return "retryable";
}

/**
 * The delay before the attempt after `attempt` (1-based), or null when it was the last:
 * the schedule's step times `timeScale` (tests and development shorten it), moved by up to
 * ±20 %. `random` is in [0, 1).
 */
export function scheduledDelayMs(attempt: number, { timeScale = 1, random = Math.random } = {}): number | null {
  const base = RETRY_SCHEDULE_MS[attempt - 1];
  if (base === undefined) return null;
  const jitter = 1 + RETRY_JITTER * (2 * random() - 1);
  return Math.max(1, Math.round(base * timeScale * jitter));
}

/**
 * A Retry-After header in milliseconds: delay-seconds or an HTTP date, capped at an hour.
 * Null when absent, unreadable or already past.
 */
export function parseRetryAfterMs(header: string | null | undefined, now: Date = new Date()): number | null {
  if (!header) return null;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  if (!(ms > 0)) return null;
  return Math.min(ms, RETRY_AFTER_CAP_MS);
}

export type AttemptOutcome =
  | { outcome: "delivered" }
  | { outcome: "failed"; permanent: boolean }
  | { outcome: "retry"; delayMs: number };

/**
 * What to do after attempt `attempt` that answered `status` (null: no answer at all): a
 * retry waits the longer of the schedule's delay and the receiver's Retry-After.
 */
export function decideOutcome({
  attempt,
  status,
  retryAfter,
  timeScale = 1,
  random = Math.random,
  now = new Date(),
}: {
  attempt: number;
  status: number | null;
  retryAfter?: string | null;
  timeScale?: number;
  random?: () => number;
  now?: Date;
}): AttemptOutcome {
  const kind = status === null ? "retryable" : classifyStatus(status);
  if (kind === "delivered") return { outcome: "delivered" };
  if (kind === "permanent") return { outcome: "failed", permanent: true };
  const scheduled = scheduledDelayMs(attempt, { timeScale, random });
  if (scheduled === null) return { outcome: "failed", permanent: false };
  const asked = parseRetryAfterMs(retryAfter, now) ?? 0;
  return { outcome: "retry", delayMs: Math.max(scheduled, asked) };
}
