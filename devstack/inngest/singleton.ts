/**
 * `singleton { key?, mode }`: at most one unfinished run per function (and key). With
 * `mode: "skip"` an event that arrives while a run holds the key starts nothing; with
 * `mode: "cancel"` the holder is cancelled and the new run takes its place. As on Inngest,
 * a key that evaluates to `false` means "not a singleton" (the run starts normally), and a
 * key that can't be evaluated is ignored the same way.
 */
import { tryEvaluate } from "./expressions";
import type { EventPayload } from "./protocol";
import type { FunctionDef } from "./registry";
import { TERMINAL, type Run } from "./store";

export type SingletonMode = "skip" | "cancel";

export class Singletons {
  /** Singleton key → the run holding it. Stale entries (finished runs) are dropped on sight. */
  private readonly holders = new Map<string, string>();

  constructor(private readonly runs: ReadonlyMap<string, Run>) {}

  /** Rebuilds the holders from stored runs (after a restart, before any app has synced). */
  resume() {
    for (const run of this.runs.values()) {
      if (run.singletonKey && !TERMINAL.has(run.status)) this.holders.set(run.singletonKey, run.id);
    }
  }

  /** The key a run of `fn` for `event` would hold, or undefined if it isn't a singleton. */
  key(fn: FunctionDef, event: EventPayload): string | undefined {
    const singleton = fn.config.singleton;
    if (!singleton) return undefined;
    if (!singleton.key) return fn.id;
    const result = tryEvaluate(singleton.key, { event });
    if ("failed" in result || result.value === false) return undefined;
    const value = typeof result.value === "string" ? result.value : JSON.stringify(result.value, bigintAsString);
    return `${fn.id}:${value}`;
  }

  /** The unfinished run holding `key`, if any. */
  holder(key: string): Run | undefined {
    const id = this.holders.get(key);
    const run = id === undefined ? undefined : this.runs.get(id);
    if (run && !TERMINAL.has(run.status)) return run;
    this.holders.delete(key);
    return undefined;
  }

  hold(key: string, run: Run) {
    run.singletonKey = key;
    this.holders.set(key, run.id);
  }
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
