/**
 * `batchEvents {maxSize, timeout, key?, if?}`, as Inngest runs it: matching events are
 * collected per key (CEL over `event`) in arrival order; a batch starts ONE run as soon as
 * it holds `maxSize` events, or `timeout` after its first event with whatever it holds
 * (possibly one). The run's `event` is the batch's first event and `events` the whole batch.
 *
 * An event for which `if` is false (or fails to evaluate) isn't batched: it starts a run of
 * its own at once, with `events: [event]`, through the ordinary path. As on Inngest, batched
 * events skip `rateLimit` and `idempotency` (they apply to unbatched events only); throttle
 * and concurrency apply to the batch's run. Batches live in the store, so a restart keeps
 * them and their due times.
 */
import { checkExpression, evaluateKey, matches } from "./expressions";
import type { EventPayload, FunctionConfig } from "./protocol";
import type { FunctionDef } from "./registry";
import { HeldBackRuns } from "./held-back";
import type { PendingBatch, Store } from "./store";
import { parseDuration } from "./time";

/** Inngest's smallest `batchEvents.timeout`. */
export const BATCH_TIMEOUT_MIN_MS = 1_000;

/** Starts the batch's run; false when it can't yet (the app hasn't synced since a restart). */
export type StartBatch = (batch: PendingBatch) => boolean;

export class Batcher {
  private readonly held: HeldBackRuns<PendingBatch>;

  constructor(
    private readonly store: Store,
    start: StartBatch,
  ) {
    this.held = new HeldBackRuns(store, store.batches, start);
  }

  /** Re-arms the batches loaded from a snapshot (overdue ones start now). */
  resume() {
    this.held.resume();
  }

  close() {
    this.held.close();
  }

  /**
   * Adds the event to its batch if `fn` batches it. Returns false when the event isn't
   * batched (no `batchEvents`, or `if` doesn't hold), so the caller starts a run as usual.
   */
  add(fn: FunctionDef, event: EventPayload, now: number): boolean {
    const config = fn.config.batchEvents;
    // A batch of one isn't a batch (Inngest's IsEnabled); sync refuses maxSize < 2 anyway.
    if (!config || config.maxSize < 2) return false;
    if (config.if && !matches(config.if, { event })) return false;
    const bucket = `${fn.id}:${config.key ? evaluateKey(config.key, { event }) : ""}`;
    let batch = this.store.batches.get(bucket);
    if (!batch) {
      const timeout = parseDuration(config.timeout) ?? BATCH_TIMEOUT_MIN_MS; // sync refuses bad timeouts
      batch = { bucket, functionId: fn.id, appUrl: fn.appUrl, events: [], dueAt: now + timeout };
      this.held.arm(batch);
    }
    batch.events.push(event);
    this.store.changed();
    if (batch.events.length >= config.maxSize) this.held.fire(bucket);
    return true;
  }
}

/** Why Inngest would refuse this function's `batchEvents` at sync (registration), if it would. */
export function batchConfigErrors(config: FunctionConfig): string[] {
  const batch = config.batchEvents;
  if (!batch) return [];
  const errors: string[] = [];
  if (batch.maxSize < 2) errors.push(`batch size cannot be smaller than 2: ${batch.maxSize}`);
  const timeout = parseDuration(batch.timeout);
  if (timeout === undefined) errors.push(`invalid batch timeout string: ${batch.timeout}`);
  else if (timeout < BATCH_TIMEOUT_MIN_MS) errors.push("batch timeout should be more than 1s");
  for (const [what, expression] of [["batch key", batch.key], ["conditional batch", batch.if]] as const) {
    if (!expression) continue;
    try {
      checkExpression(expression);
    } catch (error) {
      errors.push(`${what} expression is invalid: ${(error as Error).message}`);
    }
  }
  // Combinations Inngest's registration rejects (inngest.Function.Validate).
  if (config.cancel && config.cancel.length > 0) errors.push("batching and cancellation are mutually exclusive");
  if (config.debounce) errors.push("batching and debouncing are mutually exclusive");
  if (config.singleton !== undefined) errors.push("batching and singletons are mutually exclusive");
  if (config.priority?.run) errors.push("a function cannot specify priority.run and batchEvents together");
  return errors;
}

/** What a developer should know about a batched function that Inngest accepts silently. */
export function batchConfigWarnings(config: FunctionConfig): string[] {
  if (!config.batchEvents) return [];
  return (["rateLimit", "idempotency"] as const)
    .filter((option) => config[option] !== undefined)
    .map((option) => `"${option}" does not apply to batched events (as on Inngest), only to events that batchEvents.if leaves out`);
}
