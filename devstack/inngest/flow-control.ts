/**
 * Flow control, as far as the app uses it:
 * - idempotency: at most one run per function and key per 24 h (others dropped);
 * - rateLimit: at most `limit` runs per `period` per key (others dropped);
 * - throttle: at most `limit` run starts per `period` per key (others delayed, FIFO);
 * - concurrency: at most `limit` calls to the app at once per key (others wait, FIFO).
 *   Like Inngest, it limits executing steps, not runs: a sleeping or waiting run holds no slot.
 * Windows are sliding windows, not Inngest's GCRA, and throttle's `burst` is ignored.
 */
import { evaluateKey } from "./expressions";
import type { EventPayload } from "./protocol";
import type { FunctionDef } from "./registry";
import { DAY, requireDuration } from "./time";

export type Release = () => void;
export type ConcurrencyLimit = { key: string; limit: number };
type Waiter = { limits: ConcurrencyLimit[]; grant: (release: Release) => void };

/** What survives a restart: dropping duplicates must not reset because the devstack did. */
type FlowSnapshot = { idempotency: [string, number][]; rateLimits: [string, number[]][] };

export class FlowControl {
  private readonly idempotency = new Map<string, number>();
  private readonly rateLimits = new Map<string, number[]>();
  private readonly throttles = new Map<string, number[]>();
  private readonly active = new Map<string, number>();
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
   * When a run of `fn` may start under its throttle (now or later), reserving that slot.
   * Reservations are handed out in call order, so delayed runs start FIFO per key.
   */
  throttleStart(fn: FunctionDef, event: EventPayload, now: number): number {
    const { throttle } = fn.config;
    if (!throttle) return now;
    const period = requireDuration(throttle.period, `${fn.id} throttle.period`);
    const key = `${fn.id}:${throttle.key ? evaluateKey(throttle.key, { event }) : ""}`;
    const starts = (this.throttles.get(key) ?? []).filter((at) => at > now - period);
    const limit = Math.max(1, throttle.limit);
    let at = Math.max(now, starts.at(-1) ?? now);
    for (;;) {
      const inWindow = starts.filter((start) => start > at - period);
      if (inWindow.length < limit) break;
      // The slot frees when the oldest start that keeps the window full leaves it.
      at = inWindow[inWindow.length - limit]! + period;
    }
    starts.push(at);
    this.throttles.set(key, starts);
    return at;
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
   * Waits for a slot in every bucket, first come first served per bucket. A caller that no
   * longer needs its slot (its run was cancelled meanwhile) just releases it at once.
   */
  acquire(limits: ConcurrencyLimit[]): Promise<Release> {
    if (limits.length === 0) return Promise.resolve(() => {});
    return new Promise<Release>((grant) => {
      this.waiters.push({ limits, grant });
      this.pump();
    });
  }

  private pump() {
    // A waiter that can't get a bucket blocks later waiters on that bucket (FIFO per key),
    // but not waiters on other buckets.
    const blocked = new Set<string>();
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i]!;
      const free = waiter.limits.every((l) => !blocked.has(l.key) && (this.active.get(l.key) ?? 0) < l.limit);
      if (!free) {
        for (const l of waiter.limits) blocked.add(l.key);
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
