/**
 * `debounce {period, key?, timeout?}`, as Inngest runs it: a matching event doesn't start a
 * run; it opens (or pushes back) a debounce for its key, and the run starts once no newer
 * event has arrived for `period`. The run gets the **last** event. `timeout`, counted from
 * the first event, caps how long a steady stream can postpone the run (it then starts with
 * the latest event). An event older (`ts`) than the one already held changes nothing, as on
 * Inngest. Once a debounce has started its run, the next event opens a new one, so events
 * that arrive while that run executes lead to another run.
 *
 * Rate limits and idempotency are checked per incoming event before the event gets here
 * (intake.ts), as Inngest does; throttle and concurrency apply to the run it starts.
 * The pending debounces live in the store, so a restart keeps them and their due times.
 */
import { checkExpression, evaluateKey } from "./expressions";
import type { EventPayload, FunctionConfig } from "./protocol";
import type { FunctionDef } from "./registry";
import { HeldBackRuns } from "./held-back";
import type { PendingDebounce, Store } from "./store";
import { DAY, parseDuration } from "./time";

/** Inngest's bounds for `debounce.period` (consts.MinDebouncePeriod / MaxDebouncePeriod). */
export const DEBOUNCE_PERIOD_MIN_MS = 1_000;
export const DEBOUNCE_PERIOD_MAX_MS = 7 * DAY;

/**
 * Starts the debounced run. Returns false when it can't yet (the app hasn't synced since a
 * restart), so the debounce stays and is tried again shortly.
 */
export type StartDebounced = (debounce: PendingDebounce) => boolean;

export class Debouncer {
  private readonly held: HeldBackRuns<PendingDebounce>;

  constructor(
    private readonly store: Store,
    start: StartDebounced,
  ) {
    this.held = new HeldBackRuns(store, store.debounces, start);
  }

  /** Re-arms the debounces loaded from a snapshot (overdue ones start now). */
  resume() {
    this.held.resume();
  }

  close() {
    this.held.close();
  }

  /** Takes an event for a function with `debounce`: opens or extends its key's debounce. */
  add(fn: FunctionDef, event: EventPayload, now: number) {
    const config = fn.config.debounce;
    if (!config) return;
    const period = parseDuration(config.period) ?? DEBOUNCE_PERIOD_MIN_MS; // sync refuses bad periods
    const bucket = `${fn.id}:${config.key ? evaluateKey(config.key, { event }) : ""}`;
    const existing = this.store.debounces.get(bucket);
    if (existing) {
      // Inngest keeps the newest event by its timestamp: a late-arriving older one is ignored.
      if (event.ts < existing.event.ts) return;
      existing.event = event;
      existing.dueAt = Math.min(now + period, existing.timeoutAt ?? Infinity);
      this.held.arm(existing);
    } else {
      const timeout = config.timeout ? parseDuration(config.timeout) : undefined;
      const timeoutAt = timeout === undefined ? undefined : now + timeout;
      const debounce: PendingDebounce = {
        bucket,
        functionId: fn.id,
        appUrl: fn.appUrl,
        event,
        dueAt: Math.min(now + period, timeoutAt ?? Infinity),
        timeoutAt,
      };
      this.held.arm(debounce);
    }
    this.store.changed();
  }
}

/** Why Inngest would refuse this function's `debounce` at sync, if it would. */
export function debounceConfigErrors(config: FunctionConfig): string[] {
  const { debounce } = config;
  if (!debounce) return [];
  const errors: string[] = [];
  const period = parseDuration(debounce.period);
  if (period === undefined) errors.push(`the debounce period of "${debounce.period}" is invalid`);
  else if (period < DEBOUNCE_PERIOD_MIN_MS) errors.push(`the debounce period of "${debounce.period}" is less than the min of 1s`);
  else if (period > DEBOUNCE_PERIOD_MAX_MS) errors.push(`the debounce period of "${debounce.period}" is greater than the max of 7d`);
  if (debounce.timeout !== undefined && parseDuration(debounce.timeout) === undefined) {
    errors.push(`the debounce timeout of "${debounce.timeout}" is invalid`);
  }
  if (debounce.key) {
    try {
      checkExpression(debounce.key);
    } catch (error) {
      errors.push(`debounce expression is invalid: ${(error as Error).message}`);
    }
  }
  return errors;
}
