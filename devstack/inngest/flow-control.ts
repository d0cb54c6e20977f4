/**
 * Flow control, as far as the app uses it:
 * - idempotency: at most one run per function and key per 24 h (others dropped);
 * - rateLimit: at most `limit` runs per `period` per key (others dropped);
 * - throttle: Inngest's GCRA, one start per `period / limit` after `limit + burst` at once
 *   (others delayed, FIFO; see throttle.ts);
 * - concurrency: at most `limit` calls to the app at once per key (others wait, in queue
 *   order, see `acquire`). Like Inngest, it limits executing steps, not runs: a sleeping
 *   or waiting run holds no slot.
 * - priority: `run` shifts a run's place in that queue by up to 600 s either way.
 * rateLimit's window is a sliding window rather than Inngest's GCRA.
 */
import { evaluateInteger, evaluateKey } from "./expressions";
import type { EventPayload } from "./protocol";
import type { FunctionDef } from "./registry";
import { Throttles } from "./throttle";
import { DAY, requireDuration } from "./time";

export type Release = () => void;
export type ConcurrencyLimit = { key: string; limit: number };
/** `order` is the waiter's place in the queue: a time in ms, smaller first. */
type Waiter = { limits: ConcurrencyLimit[]; order: number; grant: (release: Release) => void };

/** Inngest's default bounds for `priority.run`, in seconds; values outside are clipped. */
export const PRIORITY_FACTOR_MAX_SECONDS = 600;

/** What survives a restart: dropping duplicates must not reset because the devstack did. */
type FlowSnapshot = { idempotency: [string, number][]; rateLimits: [string, number[]][] };

export class FlowControl {
  private readonly idempotency = new Map<string, number>();
  private readonly rateLimits = new Map<string, number[]>();
  private readonly throttles = new Throttles();
  private readonly active = new Map<string, number>();
  /** Sorted by `order`; equal orders stay in arrival order. */
  private readonly waiters: Waiter[] = [];

  constructor(snapshot?: unknown) {
    const saved = snapshot as FlowSnapshot | undefined;
    for (const [key, until] of saved?.idempotency ?? []) this.idempotency.set(key, until);
    for (const [key, times] of saved?.rateLimits ?? []) this.rateLimits.set(key, times);
  }

  snapshot(): FlowSnapshot {
    const now = Date.now();
    return {
      idempotency: [...this.idempotency].filter(([, until]) => until > now),
      rateLimits: [...this.rateLimits],
    };
  }

  /** Whether an event may start a run of `fn`: a reason to drop it, or undefined. */
  admit(fn: FunctionDef, event: EventPayload, now: number): string | undefined {
    const { idempotency, rateLimit } = fn.config;
    // Both checks run before either records anything, so a dropped event leaves no trace.
    const idempotencyKey = idempotency && `${fn.id}:${evaluateKey(idempotency, { event })}`;
    if (idempotencyKey && (this.idempotency.get(idempotencyKey) ?? 0) > now) {
      return `idempotency key ${JSON.stringify(idempotencyKey.slice(fn.id.length + 1))} already ran in the last 24 h`;
    }
    let window: number[] | undefined;
    if (rateLimit) {
      const key = `${fn.id}:${rateLimit.key ? evaluateKey(rateLimit.key, { event }) : ""}`;
      const period = requireDuration(rateLimit.period, `${fn.id} rateLimit.period`);
      window = (this.rateLimits.get(key) ?? []).filter((at) => at > now - period);
      this.rateLimits.set(key, window);
      if (window.length >= rateLimit.limit) return `rate limit of ${rateLimit.limit} per ${rateLimit.period} reached`;
    }
    if (idempotencyKey) this.idempotency.set(idempotencyKey, now + DAY);
    window?.push(now);
    return undefined;
  }

  /**
   * When a run of `fn` may start under its throttle (now or later), reserving that start.
   * Reservations are handed out in call order, so delayed runs start FIFO per key.
   */
  throttleStart(fn: FunctionDef, event: EventPayload, now: number): number {
    const { throttle } = fn.config;
    if (!throttle) return now;
    const periodMs = requireDuration(throttle.period, `${fn.id} throttle.period`);
    const key = `${fn.id}:${throttle.key ? evaluateKey(throttle.key, { event }) : ""}`;
    return this.throttles.reserve(key, { limit: throttle.limit, periodMs, burst: throttle.burst ?? 0 }, now);
  }

  /** The concurrency buckets a run of `fn` triggered by `event` occupies while calling the app. */
  concurrencyLimits(fn: FunctionDef, event: EventPayload): ConcurrencyLimit[] {
    const { concurrency } = fn.config;
    if (concurrency === undefined) return [];
    const options = typeof concurrency === "number" ? [{ limit: concurrency }] : [concurrency].flat();
    return options
      .filter((option) => option.limit > 0) // 0 means "no limit of its own" on Inngest
      .map((option: { limit: number; key?: string; scope?: string }) => {
        const value = option.key ? evaluateKey(option.key, { event }) : "";
        // A keyed env/account limit is shared by every function using the same key.
        const bucket = option.scope && option.scope !== "fn" && option.key ? `${option.scope}:${option.key}` : `fn:${fn.id}`;
        return { key: `${bucket}:${value}`, limit: option.limit };
      });
  }

  /**
   * `priority.run`: the run's factor in seconds, clipped to ±600. An expression that fails
   * or isn't a whole number counts as 0, as on Inngest.
   */
  priorityFactor(fn: FunctionDef, event: EventPayload): number {
    const expression = fn.config.priority?.run;
    const factor = expression ? (evaluateInteger(expression, { event }) ?? 0) : 0;
    return Math.max(-PRIORITY_FACTOR_MAX_SECONDS, Math.min(PRIORITY_FACTOR_MAX_SECONDS, factor));
  }

  /**
   * Waits for a slot in every bucket. Waiters are served in `order` (ties first come, first
   * served): the executor passes Inngest's queue score, i.e. when the run was queued minus
   * its priority factor, so older and higher-priority runs go first. A waiter is passed
   * over only while one of its own buckets is full: one tenant's backlog on its key never
   * holds up another tenant's waiter when the shared bucket has room. A caller that no
   * longer needs its slot (its run was cancelled meanwhile) just releases it at once.
   */
  acquire(limits: ConcurrencyLimit[], order: number): Promise<Release> {
    if (limits.length === 0) return Promise.resolve(() => {});
    return new Promise<Release>((grant) => {
      const waiter = { limits, order, grant };
      // Binary search for the first waiter that comes after this one (after equals: FIFO).
      let low = 0;
      let high = this.waiters.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (this.waiters[mid]!.order <= order) low = mid + 1;
        else high = mid;
      }
      this.waiters.splice(low, 0, waiter);
      this.pump();
    });
  }

  private pump() {
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i]!;
      // Grants in this pass count too, so a bucket fills up as we go down the queue.
      if (!waiter.limits.every((l) => (this.active.get(l.key) ?? 0) < l.limit)) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      for (const l of waiter.limits) this.active.set(l.key, (this.active.get(l.key) ?? 0) + 1);
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        for (const l of waiter.limits) this.active.set(l.key, (this.active.get(l.key) ?? 1) - 1);
        this.pump();
      });
    }
  }
}
