/**
 * A step's attempts history: every call that executed it, with its start, end and error,
 * so the runs page can show a retried step's earlier failures and not only the last one.
 * `recordAttempt` is the one way in; the executor's `recordStep` (step-ops.ts) feeds it through
 * `attemptFromPatch`, and a caller that learns of an attempt some other way (an SDK that
 * reports steps it ran itself, with their timing) calls `recordAttempt` directly.
 */
import type { StepAttempt, StepRecord } from "./store";

/** At most this many attempts are kept per step (retries are capped far below it). */
const MAX_ATTEMPTS_KEPT = 50;

/**
 * Adds or updates attempt `attempt.attempt` of `step`. The same attempt number may be
 * reported twice, e.g. once when the call starts and again when it ends, or again when
 * the app was unreachable and the call was made again without spending an attempt: the
 * later report wins field by field.
 */
export function recordAttempt(step: StepRecord, attempt: StepAttempt): void {
  const history = (step.history ??= []);
  const existing = history.find((a) => a.attempt === attempt.attempt);
  if (existing) {
    Object.assign(existing, stripUndefined(attempt));
    // A new start of the same attempt (made again after the app came back) is unfinished.
    if (attempt.endedAt === undefined && attempt.startedAt !== existing.startedAt) delete existing.endedAt;
  } else {
    history.push({ ...attempt });
    history.sort((a, b) => a.attempt - b.attempt);
    if (history.length > MAX_ATTEMPTS_KEPT) history.splice(0, history.length - MAX_ATTEMPTS_KEPT);
  }
}

/**
 * The attempt a `recordStep` patch describes, if any. The executor records a step with
 * `attempts` set to the attempt number (from 1) whenever a call starts executing it
 * (status Running) or reports on it (StepRun/StepFailed: Completed/Failed, StepError:
 * Waiting with the error). Sleeps, waits and invokes have `attempts: 0`: not attempts.
 */
export function attemptFromPatch(patch: Partial<StepRecord>, now = Date.now()): StepAttempt | undefined {
  if (!patch.attempts || patch.attempts < 1 || patch.startedAt === undefined) return undefined;
  const ended = patch.status !== "Running";
  return {
    attempt: patch.attempts,
    startedAt: patch.startedAt,
    endedAt: ended ? (patch.endedAt ?? now) : undefined,
    error: ended ? patch.error : undefined,
  };
}

function stripUndefined(attempt: StepAttempt): Partial<StepAttempt> {
  return Object.fromEntries(Object.entries(attempt).filter(([, value]) => value !== undefined));
}
