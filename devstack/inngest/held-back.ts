/**
 * Events held back per bucket until their run may start: what debounce.ts and batching.ts
 * share. Each pending entry lives in a store map (so a restart keeps it and its due time)
 * and has one timer; when it falls due it leaves the map before its run starts, so an event
 * arriving from then on opens a new entry. A start that can't happen yet (the app hasn't
 * synced since a restart) puts the entry back and tries again shortly.
 */
import type { Store } from "./store";

/** How soon to try again when an entry fell due before its app had synced. */
const NOT_SYNCED_RETRY_MS = 500;

export type HeldBack = { bucket: string; dueAt: number };

export class HeldBackRuns<T extends HeldBack> {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    readonly pending: Map<string, T>,
    /** Starts the entry's run; false when it can't yet. */
    private readonly start: (entry: T) => boolean,
  ) {}

  /** Re-arms the entries loaded from a snapshot (overdue ones start now). */
  resume() {
    for (const entry of this.pending.values()) this.arm(entry);
  }

  close() {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Adds (or keeps) the entry and sets its timer to its `dueAt`. */
  arm(entry: T) {
    this.pending.set(entry.bucket, entry);
    clearTimeout(this.timers.get(entry.bucket));
    const timer = setTimeout(() => this.fire(entry.bucket), Math.max(0, entry.dueAt - Date.now()));
    timer.unref();
    this.timers.set(entry.bucket, timer);
  }

  /** Starts the bucket's run now (it fell due, or a batch filled up). */
  fire(bucket: string) {
    clearTimeout(this.timers.get(bucket));
    this.timers.delete(bucket);
    const entry = this.pending.get(bucket);
    if (!entry) return;
    this.pending.delete(bucket);
    if (!this.start(entry)) {
      entry.dueAt = Date.now() + NOT_SYNCED_RETRY_MS;
      this.arm(entry);
    }
    this.store.changed();
  }
}
