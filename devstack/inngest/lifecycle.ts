/**
 * A run's life from trigger to end: the `singleton` check, creating it, holding it back
 * until its event's future `ts` or its throttle allows, `timeouts` deadlines, its start,
 * and how it ends (completed, failed, cancelled) with the lifecycle events Inngest sends,
 * and the `step.invoke` in a parent run that waits for it.
 */
import type { ExecutorContext } from "./context";
import { newId } from "./events";
import { INTERNAL_EVENTS, type EventPayload, type SerializedError } from "./protocol";
import type { FunctionDef } from "./registry";
import { TERMINAL, type PendingBatch, type PendingDebounce, type Run, type StepRecord } from "./store";
import { startDeadline, timeoutReason } from "./timeouts";

/** What a run may start with besides its trigger (reruns, invokes, batches). */
export type RunExtras = Partial<Pick<Run, "invokedBy" | "rerunOf" | "events" | "rerunFromStep" | "memo" | "stack" | "version">>;

/** What the lifecycle needs from the rest of the executor. */
export type LifecycleDeps = {
  /** The call loop: starts whatever calls the run is ready for. */
  advance(run: Run): void;
  /** The op handlers: hands an invoked run's outcome to its parent's step. */
  finishStep(run: Run, id: string, memo: unknown, record: Partial<StepRecord>): void;
  /** The intake: sends a lifecycle event (`inngest/function.*`) through the event pipeline. */
  emit(event: { name: string; data: Record<string, unknown> }): void;
};

export class Lifecycle {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly deps: LifecycleDeps,
  ) {}

  /**
   * Starts the run a debounce or batch was holding back, and lists it under its events.
   * False while its app hasn't synced since a restart (the caller tries again later).
   */
  startDeferred(pending: PendingDebounce | PendingBatch, event: EventPayload, events: EventPayload[]): boolean {
    const { registry, log } = this.ctx.options;
    const fn = registry.functions.get(pending.functionId);
    if (!fn) {
      if (!registry.apps.get(pending.appUrl)?.syncedAt) {
        registry.markStale(pending.appUrl);
        return false;
      }
      log(`${pending.functionId}: no longer served by ${pending.appUrl}; dropped its pending run of ${events.length} event(s)`);
      return true;
    }
    const run = this.trigger(fn, event, { events });
    if (!run) return true; // a singleton skipped it
    const ids = new Set(events.map((e) => e.id));
    for (const stored of this.ctx.store.events) if (ids.has(stored.id)) stored.runIds.push(run.id);
    return true;
  }

  /**
   * Starts a run for a trigger (an event or a cron tick), unless the function is a
   * `singleton` whose key is held: then "skip" starts nothing and "cancel" cancels the
   * holder first.
   */
  trigger(fn: FunctionDef, event: EventPayload, extra: Partial<Pick<Run, "events">> = {}): Run | undefined {
    const { singletons } = this.ctx;
    const key = singletons.key(fn, event);
    const holder = key === undefined ? undefined : singletons.holder(key);
    if (holder && fn.config.singleton?.mode === "cancel") {
      this.cancel(holder, `cancelled by singleton: event ${event.id} (${event.name}) started a new run`);
    } else if (holder) {
      this.ctx.options.log(`${fn.id}: event ${event.id} (${event.name}) skipped: singleton run ${holder.id} is still running`);
      return undefined;
    }
    const run = this.startRun(fn, event, extra);
    if (key !== undefined) singletons.hold(key, run);
    return run;
  }

  /** Creates a run and starts it now, at its event's future `ts`, or when its throttle allows. */
  startRun(fn: FunctionDef, event: EventPayload, extra: RunExtras = {}): Run {
    const now = Date.now();
    const run: Run = {
      id: newId(now),
      functionId: fn.id,
      functionName: fn.name,
      appUrl: fn.appUrl,
      event,
      events: [event],
      status: "Queued",
      queuedAt: now,
      version: -1,
      maxAttempts: fn.maxAttempts,
      memo: {},
      stack: [],
      pending: {},
      steps: [],
      ...extra,
    };
    this.ctx.store.runs.set(run.id, run);
    const timeout = startDeadline(fn, now);
    if (timeout) this.armTimeout(run, timeout);
    if (event.ts > now && !extra.rerunOf) {
      // As on Inngest, an event with a future `ts` schedules its runs for then.
      run.note = `scheduled: starts at ${new Date(event.ts).toISOString()} (the event's ts)`;
      this.ctx.timers.schedule(run.id, "start", event.ts, () => this.startWhenThrottleAllows(run, fn));
    } else {
      this.startWhenThrottleAllows(run, fn);
    }
    this.ctx.store.changed();
    return run;
  }

  /** Begins the run now, or later if its throttle says so. */
  private startWhenThrottleAllows(run: Run, fn: FunctionDef) {
    const now = Date.now();
    const { flow, registry } = this.ctx.options;
    const startAt = flow.throttleStart(registry.functions.get(fn.id) ?? fn, run.event, now);
    if (startAt > now) {
      run.note = `throttled until ${new Date(startAt).toISOString()}`;
      this.ctx.timers.schedule(run.id, "start", startAt, () => this.begin(run));
    } else {
      this.begin(run);
    }
  }

  /** Arms a `timeouts` deadline: the run is cancelled if it is still short of it then. */
  armTimeout(run: Run, timeout: NonNullable<Run["timeout"]>) {
    run.timeout = timeout;
    this.ctx.timers.schedule(run.id, "timeout", timeout.at, () => this.cancel(run, timeoutReason(timeout)));
  }

  begin(run: Run) {
    if (run.status !== "Queued") return;
    run.status = "Running";
    run.startedAt = Date.now();
    run.note = undefined;
    run.discovery = { attempt: 0 };
    this.ctx.store.changed();
    this.deps.advance(run);
  }

  /**
   * Cancels a run however it was asked (runs page, API, cancelOn) and emits
   * `inngest/function.cancelled` exactly as Inngest documents it, so a listener that ends
   * its own record of the work sees every cancel. `reason` is for the runs page only.
   */
  cancel(run: Run, reason = "cancelled") {
    if (TERMINAL.has(run.status)) return;
    this.end(run, "Cancelled", { error: { name: "Cancelled", message: reason } });
    const data = { function_id: run.functionId, run_id: run.id, event: run.event, events: run.events };
    const error = { error: "function cancelled", message: "function cancelled", name: "Error" };
    this.deps.emit({ name: INTERNAL_EVENTS.cancelled, data: { error, ...data } });
    this.deps.emit({ name: INTERNAL_EVENTS.finished, data: { ...data, error: { name: error.name, message: error.message } } });
  }

  complete(run: Run, output: unknown) {
    this.end(run, "Completed", { output: output ?? null });
    const data = { function_id: run.functionId, run_id: run.id, event: run.event, events: run.events };
    this.deps.emit({ name: INTERNAL_EVENTS.finished, data: { ...data, result: output ?? null } });
  }

  fail(run: Run, error: SerializedError) {
    this.end(run, "Failed", { error });
    this.ctx.options.log(`run ${run.id} of ${run.functionId} failed: ${error.message}`);
    const data = { function_id: run.functionId, run_id: run.id, event: run.event, events: run.events };
    const { name, message, stack } = error;
    // Triggers the function's onFailure handler (registered as `<id>-failure`).
    this.deps.emit({ name: INTERNAL_EVENTS.failed, data: { ...data, error: { name, message, stack } } });
    this.deps.emit({ name: INTERNAL_EVENTS.finished, data: { ...data, error: { name, message, stack } } });
  }

  private end(run: Run, status: "Completed" | "Failed" | "Cancelled", result: { output?: unknown; error?: SerializedError }) {
    run.status = status;
    run.endedAt = Date.now();
    run.note = undefined;
    run.output = result.output;
    run.error = result.error;
    run.pending = {};
    run.discovery = undefined;
    for (const step of run.steps) {
      // E.g. the wait that lost a Promise.race, or whatever was under way when cancelled.
      if (step.status === "Running" || step.status === "Waiting") Object.assign(step, { status: "Abandoned", endedAt: run.endedAt });
    }
    this.ctx.timers.clearRun(run.id);
    this.ctx.unavailable.delete(run.id);
    this.ctx.notSdk.forget(run.id);
    this.ctx.memoVersion.delete(run.id);
    this.ctx.store.changed();
    if (run.invokedBy) this.settleInvoke(run, run.invokedBy);
  }

  /** Hands an invoked run's outcome to the `step.invoke` waiting for it. */
  private settleInvoke(child: Run, { runId, stepId }: NonNullable<Run["invokedBy"]>) {
    const parent = this.ctx.store.runs.get(runId);
    const op = parent?.pending[stepId];
    if (!parent || op?.kind !== "invoke" || op.childRunId !== child.id) return;
    if (child.status === "Completed") {
      this.deps.finishStep(parent, stepId, { data: child.output }, { status: "Completed", output: child.output });
    } else {
      const error = child.error ?? { name: "Error", message: `invoked run ${child.status.toLowerCase()}` };
      this.deps.finishStep(parent, stepId, { error }, { status: "Failed", error });
    }
  }
}
