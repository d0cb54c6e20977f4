/**
 * The event pipeline: every event, from `POST /e/:key` or the executor's
 * own lifecycle events, is de-duplicated by id (24 h) and stored, then cancels the runs
 * its `cancelOn` rules match, resumes the `step.waitForEvent`s it matches, and starts the
 * runs it triggers, in that order (a run's own trigger never cancels it). A trigger goes
 * through `batchEvents`, rateLimit/idempotency and `debounce`, which hold events back.
 */
import { Batcher } from "./batching";
import type { ExecutorContext } from "./context";
import { Debouncer } from "./debounce";
import { normalizeEvent, triggerMatches } from "./events";
import { matches } from "./expressions";
import type { EventPayload, IncomingEvent } from "./protocol";
import type { FunctionDef } from "./registry";
import { TERMINAL, type PendingBatch, type PendingDebounce, type Run, type StepRecord } from "./store";
import { DAY, parseDuration } from "./time";

/** What the intake needs from the rest of the executor. */
export type IntakeDeps = {
  /** The lifecycle: starting, deferred starting and cancelling runs. */
  trigger(fn: FunctionDef, event: EventPayload): Run | undefined;
  startDeferred(pending: PendingDebounce | PendingBatch, event: EventPayload, events: EventPayload[]): boolean;
  cancel(run: Run, reason: string): void;
  /** The op handlers: a matched wait is a finished step. */
  finishStep(run: Run, id: string, memo: unknown, record: Partial<StepRecord>): void;
  /**
   * The executor's public `send`. Lifecycle events go through it rather than straight to
   * `Intake.send`, so whoever wraps `Executor.send` (the digest bench and tests count
   * events that way) sees them too.
   */
  send(incoming: IncomingEvent[]): string[];
};

export class Intake {
  /** Events held back by `debounce` and `batchEvents` until their run may start. */
  private readonly debouncer: Debouncer;
  private readonly batcher: Batcher;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly deps: IntakeDeps,
  ) {
    this.debouncer = new Debouncer(ctx.store, (debounce) => deps.startDeferred(debounce, debounce.event, [debounce.event]));
    this.batcher = new Batcher(ctx.store, (batch) => deps.startDeferred(batch, batch.events[0]!, batch.events));
  }

  /** Re-arms the pending debounces and batches of a loaded snapshot. */
  resume() {
    this.debouncer.resume();
    this.batcher.resume();
  }

  close() {
    this.debouncer.close();
    this.batcher.close();
  }

  /**
   * The event pipeline: de-duplicate by id (24 h), store, then let the event cancel runs,
   * resume waits and start runs, in that order (a run's own trigger never cancels it).
   */
  send(incoming: IncomingEvent[]): string[] {
    const { store, registry, flow, log } = this.ctx.options;
    const now = Date.now();
    for (const [id, seenAt] of store.seenEventIds) {
      if (seenAt > now - DAY) break; // insertion order = age order
      store.seenEventIds.delete(id);
    }
    return incoming.map((raw) => {
      const event = normalizeEvent(raw, now);
      if (store.seenEventIds.has(event.id)) return event.id;
      store.seenEventIds.set(event.id, now);
      const runIds: string[] = [];
      store.addEvent({ ...event, receivedAt: now, runIds });
      this.cancelMatching(event);
      this.resumeWaits(event);
      for (const fn of registry.functions.values()) {
        if (!fn.eventTriggers.some((trigger) => triggerMatches(trigger, event))) continue;
        // Batched events skip rateLimit and idempotency, as on Inngest.
        if (this.batcher.add(fn, event, now)) continue;
        const dropped = flow.admit(fn, event, now);
        if (dropped) {
          log(`${fn.id}: event ${event.id} (${event.name}) skipped: ${dropped}`);
          continue;
        }
        if (fn.config.debounce) {
          this.debouncer.add(fn, event, now);
          continue;
        }
        const run = this.deps.trigger(fn, event);
        if (run) runIds.push(run.id);
      }
      store.changed();
      return event.id;
    });
  }

  /** Sends one of the executor's own events (`inngest/function.*`), stamped now. */
  emit(event: { name: string; data: Record<string, unknown> }) {
    this.deps.send([{ ...event, ts: Date.now() }]);
  }

  private cancelMatching(event: EventPayload) {
    const { store, registry } = this.ctx.options;
    // Most events cancel nothing: check that once instead of once per stored run, which
    // made a fan-out of n events cost n × runs.
    const cancellable = new Set<string>();
    for (const fn of registry.functions.values()) {
      if (fn.config.cancel?.some((rule) => rule.event === event.name)) cancellable.add(fn.id);
    }
    if (cancellable.size === 0) return;
    for (const run of store.runs.values()) {
      if (!cancellable.has(run.functionId)) continue;
      if (TERMINAL.has(run.status) || run.event.id === event.id) continue;
      const rules = registry.functions.get(run.functionId)?.config.cancel ?? [];
      const hit = rules.some(
        (rule) =>
          rule.event === event.name &&
          (!rule.timeout || Date.now() < run.queuedAt + (parseDuration(rule.timeout) ?? Infinity)) &&
          (!rule.if || matches(rule.if, { event: run.event, async: event })),
      );
      if (hit) this.deps.cancel(run, `cancelled by event ${event.name} (${event.id})`);
    }
  }

  private resumeWaits(event: EventPayload) {
    const { store, waiting } = this.ctx;
    for (const runId of waiting) {
      const run = store.runs.get(runId);
      if (!run || TERMINAL.has(run.status) || !Object.values(run.pending).some((op) => op.kind === "wait")) {
        waiting.delete(runId); // done waiting: forget it lazily
        continue;
      }
      for (const [id, op] of Object.entries(run.pending)) {
        if (op.kind !== "wait" || op.event !== event.name) continue;
        if (op.if && !matches(op.if, { event: run.event, async: event })) continue;
        this.deps.finishStep(run, id, event, { status: "Completed", output: event });
      }
    }
  }
}
