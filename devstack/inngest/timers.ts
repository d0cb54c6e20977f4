/**
 * The executor's timers and retry timing. `RunTimers` holds every timer armed for a run,
 * keyed by what it wakes, so a run's end clears all of its own and `close()` all of them;
 * the functions below say when a call is made again (a backoff that spends an attempt, or
 * a free retry while the app can't be reached).
 */
import type { CallResult } from "./call";
import type { ExecutorContext, ExecutorOptions } from "./context";
import type { Run } from "./store";

export class RunTimers {
  /** Timers per run, keyed by what they wake (a step id, "step" for discovery, "start", "timeout"). */
  private readonly timers = new Map<string, Map<string, NodeJS.Timeout>>();

  /** Calls `wake` at `at`, replacing the run's timer of that key. */
  schedule(runId: string, key: string, at: number, wake: () => void) {
    this.clear(runId, key);
    const timers = this.timers.get(runId) ?? new Map<string, NodeJS.Timeout>();
    this.timers.set(runId, timers);
    // setTimeout overflows past ~24.8 days; a long sleep re-arms itself.
    const delay = Math.max(0, at - Date.now());
    const timer = setTimeout(() => {
      timers.delete(key);
      if (Date.now() < at) this.schedule(runId, key, at, wake);
      else wake();
    }, Math.min(delay, 2 ** 31 - 1));
    timer.unref();
    timers.set(key, timer);
  }

  clear(runId: string, key: string) {
    const timers = this.timers.get(runId);
    const timer = timers?.get(key);
    if (timer) clearTimeout(timer);
    timers?.delete(key);
  }

  /** Clears every timer of a run (it ended). */
  clearRun(runId: string) {
    for (const timer of this.timers.get(runId)?.values() ?? []) clearTimeout(timer);
    this.timers.delete(runId);
  }

  close() {
    for (const timers of this.timers.values()) for (const timer of timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

type Backoff = Pick<ExecutorOptions, "backoffBaseMs" | "backoffMaxMs">;

/** When to retry a call the SDK answered with an error, or undefined if it is final. */
export function retryAt(options: Backoff, run: Run, attempt: number, result: Extract<CallResult, { kind: "sdk" }>): number | undefined {
  // Only `X-Inngest-No-Retry: true` or the last attempt is final, whatever the status (as
  // Inngest's ShouldRetry: the SDK marks its non-retriable 400s with the header).
  if (result.noRetry || attempt + 1 >= run.maxAttempts) return undefined;
  return Math.max(result.retryAt ?? 0, Date.now() + backoff(options, attempt + 1));
}

/** Exponential backoff with jitter (50–100 % of the step), so retries don't align. */
export function backoff(options: Backoff, attempt: number): number {
  const { backoffBaseMs, backoffMaxMs } = options;
  const step = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.5 + Math.random() / 2));
}

/** The app didn't answer: try the same call again later without spending an attempt. */
export function unavailableRetryAt(ctx: ExecutorContext, run: Run, result: Extract<CallResult, { kind: "unavailable" }>): number {
  const { options, unavailable } = ctx;
  const count = (unavailable.get(run.id) ?? 0) + 1;
  unavailable.set(run.id, count);
  if (result.refused) options.registry.markStale(run.appUrl);
  if (count === 1) options.log(`run ${run.id}: ${run.appUrl} is unavailable (${result.reason}); retrying until it answers`);
  run.note = `waiting for the app: ${result.reason}`;
  const delay = Math.min(options.unavailableMaxDelayMs, options.backoffBaseMs * 2 ** (count - 1));
  return Date.now() + delay;
}
