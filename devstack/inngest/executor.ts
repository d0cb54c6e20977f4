/**
 * The run state machine and the call loop (research §3–§6).
 *
 * A run is driven by calls to the function's runtime URL. A *discovery* call
 * (`stepId=step`) replays the function against the memoized step results and answers
 * with the next ops; a *step* call (`stepId=<hashed id>`) runs one planned step. Every op
 * the SDK reports becomes either a memoized result or pending work (a planned step, a
 * sleep, a wait, an invoke). Discovery runs again once something finished and no planned
 * step is still executing, so parallel steps all finish before the function resumes.
 *
 * Everything about a run is kept in the serializable `Run` (store.ts); timers and in-flight
 * calls are rebuilt from it after a restart, so a run resumes where it was (at least once:
 * a step that was executing when the devstack stopped runs again).
 */
import { MESSAGES } from "./api-errors";
import { Batcher } from "./batching";
import { attemptFromPatch, recordAttempt } from "./attempts";
import { callFunction, type CallResult } from "./call";
import { Debouncer } from "./debounce";
import { newId, normalizeEvent, triggerMatches } from "./events";
import { matches } from "./expressions";
import type { FlowControl } from "./flow-control";
import {
  HEADERS,
  INTERNAL_EVENTS,
  OPCODES,
  invokeOptsSchema,
  outgoingOpSchema,
  waitForSignalOptsSchema,
  toSerializedError,
  waitForEventOptsSchema,
  type AsyncCheckpoint,
  type CallRequestBody,
  type EventPayload,
  type IncomingEvent,
  type Opcode,
  type OutgoingOp,
  type SerializedError,
} from "./protocol";
import type { FunctionDef, Registry } from "./registry";
import { NotSdkGrace } from "./retry-rules";
import { SIGNAL_CONFLICT_MESSAGE, Signals } from "./signals";
import { Singletons } from "./singleton";
import { TERMINAL, type PendingBatch, type PendingDebounce, type PendingOp, type Run, type StepRecord, type Store } from "./store";
import { DAY, parseDuration, sleepTarget } from "./time";
import { finishDeadline, startDeadline, timeoutReason } from "./timeouts";

export type ExecutorOptions = {
  store: Store;
  registry: Registry;
  flow: FlowControl;
  /** First retry delay; doubles per attempt, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Ceiling of the delay between calls while the app is unreachable. */
  unavailableMaxDelayMs: number;
  callTimeoutMs: number;
  /**
   * Let the SDK run steps eagerly and checkpoint them (on by default in SDK v4, as on
   * Inngest Cloud). Off keeps every call to one step, the SDK's older mode.
   */
  checkpointing: boolean;
  /**
   * How long answers that didn't come from the SDK (an HTML error page, a proxy's 502) are
   * retried for free, as a recompiling app; after that each one spends an attempt.
   */
  notSdkGraceMs: number;
  log: (message: string) => void;
};

/** What a checkpoint answers: the SDK only reads the status (409 = stale, stop). */
export type CheckpointAnswer = { status: 200 } | { status: 400 | 404 | 409; error: string };

/** A call's result, and whether the SDK checkpointed progress during it. */
type Answer = CallResult & { progressed: boolean };

/** The stepId of a discovery call, and the key of its in-flight marker. */
const DISCOVERY = "step";

export class Executor {
  /** Timers per run, keyed by what they wake (a step id, "discovery", "start"). */
  private readonly timers = new Map<string, Map<string, NodeJS.Timeout>>();
  /** Calls in flight per run: "step" (discovery) or hashed step ids. */
  private readonly calling = new Map<string, Set<string>>();
  /** Consecutive "app unavailable" answers per run, for backoff. */
  private readonly unavailable = new Map<string, number>();
  /** Bumped whenever a run's memo changes, to tell if a discovery answer is already stale. */
  private readonly memoVersion = new Map<string, number>();
  /** Runs that may have a `step.waitForEvent` pending, so an event needn't visit every run. */
  private readonly waiting = new Set<string>();
  /**
   * The discovery call each run has in flight, by its queue-item id; `progressed` once a
   * checkpoint from it was taken (attempts then count afresh, as on Inngest).
   */
  private readonly dispatch = new Map<string, { qiId: string; progressed: boolean }>();
  private readonly singletons: Singletons;
  private readonly signals: Signals;
  private readonly notSdk: NotSdkGrace;
  private closed = false;
  /** Events held back by `debounce` and `batchEvents` until their run may start. */
  private readonly debouncer: Debouncer;
  private readonly batcher: Batcher;

  constructor(private readonly options: ExecutorOptions) {
    this.debouncer = new Debouncer(options.store, (debounce) => this.startDeferred(debounce, debounce.event, [debounce.event]));
    this.batcher = new Batcher(options.store, (batch) => this.startDeferred(batch, batch.events[0]!, batch.events));
    this.singletons = new Singletons(options.store.runs);
    this.signals = new Signals(options.store.runs);
    this.notSdk = new NotSdkGrace(options.notSdkGraceMs);
  }

  private get store() {
    return this.options.store;
  }

  /** Picks up unfinished runs from a loaded snapshot. */
  resume() {
    this.debouncer.resume();
    this.batcher.resume();
    this.singletons.resume();
    this.signals.resume();
    for (const run of this.store.runs.values()) {
      if (TERMINAL.has(run.status)) continue;
      if (run.timeout) this.armTimeout(run, run.timeout);
      if (run.status === "Queued") {
        if (run.event.ts > Date.now()) this.schedule(run, "start", run.event.ts, () => this.begin(run));
        else this.begin(run);
        continue;
      }
      for (const [id, op] of Object.entries(run.pending)) {
        if (op.kind === "sleep" || op.kind === "wait" || op.kind === "signal" || (op.kind === "invoke" && op.until)) {
          this.schedule(run, id, op.until ?? Date.now(), () => this.expire(run.id, id));
        }
        if (op.kind === "wait") this.waiting.add(run.id);
      }
      this.advance(run);
    }
  }

  close() {
    this.closed = true;
    this.debouncer.close();
    this.batcher.close();
    for (const timers of this.timers.values()) for (const timer of timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  // ---------------------------------------------------------------- events

  /**
   * The event pipeline: de-duplicate by id (24 h), store, then let the event cancel runs,
   * resume waits and start runs, in that order (a run's own trigger never cancels it).
   */
  send(incoming: IncomingEvent[]): string[] {
    const now = Date.now();
    for (const [id, seenAt] of this.store.seenEventIds) {
      if (seenAt > now - DAY) break; // insertion order = age order
      this.store.seenEventIds.delete(id);
    }
    return incoming.map((raw) => {
      const event = normalizeEvent(raw, now);
      if (this.store.seenEventIds.has(event.id)) return event.id;
      this.store.seenEventIds.set(event.id, now);
      const runIds: string[] = [];
      this.store.addEvent({ ...event, receivedAt: now, runIds });
      this.cancelMatching(event);
      this.resumeWaits(event);
      for (const fn of this.options.registry.functions.values()) {
        if (!fn.eventTriggers.some((trigger) => triggerMatches(trigger, event))) continue;
        // Batched events skip rateLimit and idempotency, as on Inngest.
        if (this.batcher.add(fn, event, now)) continue;
        const dropped = this.options.flow.admit(fn, event, now);
        if (dropped) {
          this.options.log(`${fn.id}: event ${event.id} (${event.name}) skipped: ${dropped}`);
          continue;
        }
        if (fn.config.debounce) {
          this.debouncer.add(fn, event, now);
          continue;
        }
        const run = this.trigger(fn, event);
        if (run) runIds.push(run.id);
      }
      this.store.changed();
      return event.id;
    });
  }

  private emit(event: { name: string; data: Record<string, unknown> }) {
    this.send([{ ...event, ts: Date.now() }]);
  }

  private cancelMatching(event: EventPayload) {
    // Most events cancel nothing: check that once instead of once per stored run, which
    // made a fan-out of n events cost n × runs.
    const cancellable = new Set<string>();
    for (const fn of this.options.registry.functions.values()) {
      if (fn.config.cancel?.some((rule) => rule.event === event.name)) cancellable.add(fn.id);
    }
    if (cancellable.size === 0) return;
    for (const run of this.store.runs.values()) {
      if (!cancellable.has(run.functionId)) continue;
      if (TERMINAL.has(run.status) || run.event.id === event.id) continue;
      const rules = this.options.registry.functions.get(run.functionId)?.config.cancel ?? [];
      const hit = rules.some(
        (rule) =>
          rule.event === event.name &&
          (!rule.timeout || Date.now() < run.queuedAt + (parseDuration(rule.timeout) ?? Infinity)) &&
          (!rule.if || matches(rule.if, { event: run.event, async: event })),
      );
      if (hit) this.cancel(run, `cancelled by event ${event.name} (${event.id})`);
    }
  }

  private resumeWaits(event: EventPayload) {
    for (const runId of this.waiting) {
      const run = this.store.runs.get(runId);
      if (!run || TERMINAL.has(run.status) || !Object.values(run.pending).some((op) => op.kind === "wait")) {
        this.waiting.delete(runId); // done waiting: forget it lazily
        continue;
      }
      for (const [id, op] of Object.entries(run.pending)) {
        if (op.kind !== "wait" || op.event !== event.name) continue;
        if (op.if && !matches(op.if, { event: run.event, async: event })) continue;
        this.finishStep(run, id, event, { status: "Completed", output: event });
      }
    }
  }

  // ---------------------------------------------------------------- run lifecycle

  /**
   * Starts the run a debounce or batch was holding back, and lists it under its events.
   * False while its app hasn't synced since a restart (the caller tries again later).
   */
  private startDeferred(pending: PendingDebounce | PendingBatch, event: EventPayload, events: EventPayload[]): boolean {
    const fn = this.options.registry.functions.get(pending.functionId);
    if (!fn) {
      if (!this.options.registry.apps.get(pending.appUrl)?.syncedAt) {
        this.options.registry.markStale(pending.appUrl);
        return false;
      }
      this.options.log(`${pending.functionId}: no longer served by ${pending.appUrl}; dropped its pending run of ${events.length} event(s)`);
      return true;
    }
    const run = this.trigger(fn, event, { events });
    if (!run) return true; // a singleton skipped it
    const ids = new Set(events.map((e) => e.id));
    for (const stored of this.store.events) if (ids.has(stored.id)) stored.runIds.push(run.id);
    return true;
  }

  /**
   * Starts a run for a trigger (an event or a cron tick), unless the function is a
   * `singleton` whose key is held: then "skip" starts nothing and "cancel" cancels the
   * holder first.
   */
  trigger(fn: FunctionDef, event: EventPayload, extra: Partial<Pick<Run, "events">> = {}): Run | undefined {
    const key = this.singletons.key(fn, event);
    const holder = key === undefined ? undefined : this.singletons.holder(key);
    if (holder && fn.config.singleton?.mode === "cancel") {
      this.cancel(holder, `cancelled by singleton: event ${event.id} (${event.name}) started a new run`);
    } else if (holder) {
      this.options.log(`${fn.id}: event ${event.id} (${event.name}) skipped: singleton run ${holder.id} is still running`);
      return undefined;
    }
    const run = this.startRun(fn, event, extra);
    if (key !== undefined) this.singletons.hold(key, run);
    return run;
  }

  /** Creates a run and starts it now, at its event's future `ts`, or when its throttle allows. */
  startRun(fn: FunctionDef, event: EventPayload, extra: Partial<Pick<Run, "invokedBy" | "rerunOf" | "events" | "rerunFromStep" | "memo" | "stack" | "version">> = {}): Run {
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
    this.store.runs.set(run.id, run);
    const timeout = startDeadline(fn, now);
    if (timeout) this.armTimeout(run, timeout);
    if (event.ts > now && !extra.rerunOf) {
      // As on Inngest, an event with a future `ts` schedules its runs for then.
      run.note = `scheduled: starts at ${new Date(event.ts).toISOString()} (the event's ts)`;
      this.schedule(run, "start", event.ts, () => this.startWhenThrottleAllows(run, fn));
    } else {
      this.startWhenThrottleAllows(run, fn);
    }
    this.store.changed();
    return run;
  }

  /** Begins the run now, or later if its throttle says so. */
  private startWhenThrottleAllows(run: Run, fn: FunctionDef) {
    const now = Date.now();
    const startAt = this.options.flow.throttleStart(this.options.registry.functions.get(fn.id) ?? fn, run.event, now);
    if (startAt > now) {
      run.note = `throttled until ${new Date(startAt).toISOString()}`;
      this.schedule(run, "start", startAt, () => this.begin(run));
    } else {
      this.begin(run);
    }
  }

  /** Arms a `timeouts` deadline: the run is cancelled if it is still short of it then. */
  private armTimeout(run: Run, timeout: NonNullable<Run["timeout"]>) {
    run.timeout = timeout;
    this.schedule(run, "timeout", timeout.at, () => this.cancel(run, timeoutReason(timeout)));
  }

  private begin(run: Run) {
    if (run.status !== "Queued") return;
    run.status = "Running";
    run.startedAt = Date.now();
    run.note = undefined;
    run.discovery = { attempt: 0 };
    this.store.changed();
    this.advance(run);
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
    this.emit({ name: INTERNAL_EVENTS.cancelled, data: { error, ...data } });
    this.emit({ name: INTERNAL_EVENTS.finished, data: { ...data, error: { name: error.name, message: error.message } } });
  }

  private complete(run: Run, output: unknown) {
    this.end(run, "Completed", { output: output ?? null });
    const data = { function_id: run.functionId, run_id: run.id, event: run.event, events: run.events };
    this.emit({ name: INTERNAL_EVENTS.finished, data: { ...data, result: output ?? null } });
  }

  private fail(run: Run, error: SerializedError) {
    this.end(run, "Failed", { error });
    this.options.log(`run ${run.id} of ${run.functionId} failed: ${error.message}`);
    const data = { function_id: run.functionId, run_id: run.id, event: run.event, events: run.events };
    const { name, message, stack } = error;
    // Triggers the function's onFailure handler (registered as `<id>-failure`).
    this.emit({ name: INTERNAL_EVENTS.failed, data: { ...data, error: { name, message, stack } } });
    this.emit({ name: INTERNAL_EVENTS.finished, data: { ...data, error: { name, message, stack } } });
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
    for (const timer of this.timers.get(run.id)?.values() ?? []) clearTimeout(timer);
    this.timers.delete(run.id);
    this.unavailable.delete(run.id);
    this.notSdk.forget(run.id);
    this.memoVersion.delete(run.id);
    this.store.changed();
    if (run.invokedBy) this.settleInvoke(run);
  }

  /** Hands an invoked run's outcome to the `step.invoke` waiting for it. */
  private settleInvoke(child: Run) {
    const { runId, stepId } = child.invokedBy!;
    const parent = this.store.runs.get(runId);
    const op = parent?.pending[stepId];
    if (!parent || op?.kind !== "invoke" || op.childRunId !== child.id) return;
    if (child.status === "Completed") {
      this.finishStep(parent, stepId, { data: child.output }, { status: "Completed", output: child.output });
    } else {
      const error = child.error ?? { name: "Error", message: `invoked run ${child.status.toLowerCase()}` };
      this.finishStep(parent, stepId, { error }, { status: "Failed", error });
    }
  }

  // ---------------------------------------------------------------- the call loop

  /** Starts whatever calls the run is ready for. Safe to call any time. */
  private advance(run: Run) {
    if (this.closed || run.status !== "Running") return;
    const calling = this.inFlight(run.id);
    if (calling.has(DISCOVERY)) return;
    const now = Date.now();
    const planned = Object.entries(run.pending).filter(
      (entry): entry is [string, Extract<PendingOp, { kind: "step" }>] => entry[1].kind === "step",
    );
    for (const [id, op] of planned) {
      if (calling.has(id)) continue;
      if (op.notBefore && op.notBefore > now) {
        this.schedule(run, id, op.notBefore, () => this.advance(run));
        continue;
      }
      void this.callStep(run, id, op, planned.length > 1);
    }
    // Parallel steps all finish before the function is replayed; an earlier discovery
    // would re-report the unfinished ones.
    if (planned.length > 0 || !run.discovery) return;
    if (run.discovery.notBefore && run.discovery.notBefore > now) {
      this.schedule(run, DISCOVERY, run.discovery.notBefore, () => this.advance(run));
      return;
    }
    void this.callDiscovery(run);
  }

  private async callDiscovery(run: Run) {
    const calledAttempt = run.discovery?.attempt ?? 0;
    const memoAtCall = this.memoVersion.get(run.id) ?? 0;
    const startedAt = Date.now();
    const result = await this.call(run, DISCOVERY, calledAttempt, false);
    if (!result) return;
    // Once a call checkpointed progress, its attempts count afresh (Inngest resets the
    // queue item's attempts on every checkpoint).
    const attempt = result.progressed ? 0 : calledAttempt;
    if (result.kind === "unavailable") {
      run.discovery = { attempt, notBefore: this.unavailableRetryAt(run, result) };
      return this.advance(run);
    }
    if (result.status === 206) {
      // Something finished while the SDK was replaying: it hasn't seen that yet.
      const stale = (this.memoVersion.get(run.id) ?? 0) !== memoAtCall;
      run.discovery = stale ? { attempt: 0 } : undefined;
      // Steps the SDK ran inline (a lone new step.run) report the discovery's timing.
      this.handleOps(run, result.body, attempt, startedAt, result.retryAt);
      return this.advance(run);
    }
    if (result.status === 200) return this.complete(run, result.body);
    const retryAt = this.retryAt(run, attempt, result);
    if (retryAt === undefined) return this.fail(run, toSerializedError(result.body, `function answered ${result.status}`));
    run.discovery = { attempt: attempt + 1, notBefore: retryAt };
    this.advance(run);
  }

  private async callStep(run: Run, id: string, op: Extract<PendingOp, { kind: "step" }>, parallel: boolean) {
    const startedAt = Date.now();
    this.recordStep(run, id, { name: op.name, op: "StepPlanned", status: "Running", attempts: op.attempt + 1, startedAt });
    const result = await this.call(run, id, op.attempt, parallel);
    if (!result) return;
    if (result.kind === "unavailable") {
      op.notBefore = this.unavailableRetryAt(run, result);
      return this.advance(run);
    }
    if (result.status === 206) {
      this.handleOps(run, result.body, op.attempt, startedAt, result.retryAt);
      return this.advance(run);
    }
    if (result.status === 200) return this.complete(run, result.body);
    // The function threw outside the step while replaying to it: a function-level error.
    const error = toSerializedError(result.body, `function answered ${result.status}`);
    this.recordStep(run, id, { status: "Waiting", error, startedAt, attempts: op.attempt + 1 });
    const retryAt = this.retryAt(run, op.attempt, result);
    if (retryAt === undefined) return this.fail(run, error);
    Object.assign(op, { attempt: op.attempt + 1, notBefore: retryAt });
    this.advance(run);
  }

  /**
   * Makes one call, holding the function's concurrency slots for its duration. Returns
   * undefined when the run ended meanwhile (its answer no longer matters).
   */
  private async call(run: Run, stepId: string, attempt: number, parallel: boolean): Promise<Answer | undefined> {
    const fn = this.options.registry.functions.get(run.functionId);
    const calling = this.inFlight(run.id);
    calling.add(stepId);
    try {
      if (!fn) {
        // Right after a restart the app may not be synced yet: wait for it. Once it has
        // synced without this function (renamed or deleted), the run can't go on.
        if (!this.options.registry.apps.get(run.appUrl)?.syncedAt) {
          this.options.registry.markStale(run.appUrl);
          return { kind: "unavailable", reason: `${run.appUrl} has not synced yet`, refused: false, progressed: false };
        }
        this.fail(run, { name: "Error", message: `function ${run.functionId} is no longer served by ${run.appUrl}` });
        return undefined;
      }
      const { flow } = this.options;
      // Inngest's queue score: a first attempt is queued as of when its run was (so older
      // runs finish first), minus the run's priority factor; a retry as of when it fell due.
      const order = attempt === 0 ? run.queuedAt - flow.priorityFactor(fn, run.event) * 1_000 : Date.now();
      const release = await flow.acquire(flow.concurrencyLimits(fn, run.event), order);
      try {
        if (run.status !== "Running" || this.closed) return undefined;
        const generation = (run.dispatches = (run.dispatches ?? 0) + 1);
        const qiId = `${run.id}:${generation}`;
        const checkpointing = this.options.checkpointing && stepId === DISCOVERY && !parallel;
        if (checkpointing) this.dispatch.set(run.id, { qiId, progressed: false });
        if (run.calledAt === undefined) {
          // The run starts now (as far as `timeouts` go): the start deadline is met.
          run.calledAt = Date.now();
          run.timeout = undefined;
          this.clearTimer(run.id, "timeout");
          const finish = finishDeadline(fn, run.calledAt);
          if (finish) this.armTimeout(run, finish);
        }
        const body: CallRequestBody = {
          version: run.version,
          event: run.event,
          events: run.events,
          steps: run.memo,
          ctx: {
            run_id: run.id,
            ...(this.options.checkpointing ? { fn_id: fn.id, qi_id: qiId } : {}),
            attempt,
            max_attempts: run.maxAttempts,
            disable_immediate_execution: parallel,
            use_api: false,
            stack: { stack: run.stack, current: Math.max(0, run.stack.length - 1) },
          },
          use_api: false,
        };
        let result: CallResult;
        let progressed = false;
        try {
          result = await callFunction(fn.runtimeUrl, stepId, body, this.options.callTimeoutMs, {
            [HEADERS.generationId]: String(generation),
          });
        } finally {
          const open = this.dispatch.get(run.id);
          if (open?.qiId === qiId) {
            progressed = open.progressed;
            this.dispatch.delete(run.id);
          }
        }
        if (run.status !== "Running") return undefined;
        result = this.notSdk.classify(run.id, result);
        if (result.kind === "sdk") {
          if (result.version !== undefined) run.version = result.version;
          if (this.unavailable.has(run.id)) {
            this.unavailable.delete(run.id);
            run.note = undefined;
          }
        }
        this.store.changed();
        return { ...result, progressed };
      } finally {
        release();
      }
    } finally {
      calling.delete(stepId);
    }
  }

  /**
   * Takes the steps the SDK ran eagerly inside a discovery call (checkpointing), while that
   * call goes on: each is memoized as if reported in a 206, but the run isn't replayed for
   * it, since the SDK is already past it. A checkpoint from a call that is no longer the
   * run's current one (the run ended or was cancelled, or the call was given up on) is
   * answered 409, which makes the SDK stop at once: a cancelled run runs no further steps.
   */
  checkpoint(runId: string, checkpoint: AsyncCheckpoint): CheckpointAnswer {
    const run = this.store.runs.get(runId);
    if (!run || run.id !== checkpoint.run_id) return { status: 404, error: MESSAGES.runNotFound(runId) };
    const open = this.dispatch.get(run.id);
    if (run.status !== "Running" || open?.qiId !== checkpoint.qi_id) {
      return { status: 409, error: `stale dispatch: run ${run.id} is ${run.status.toLowerCase()} or no longer waiting on this call` };
    }
    const unsupported = checkpoint.steps.find((op) => op.op !== "StepRun" && op.op !== "StepPlanned");
    if (unsupported) return { status: 400, error: `cannot checkpoint opcode: ${unsupported.op}` };
    for (const op of checkpoint.steps) {
      const name = op.displayName ?? op.userland?.id ?? op.name ?? op.id;
      const startedAt = op.timing ? Math.round(op.timing.a / 1e6) : Date.now();
      if (op.op === "StepPlanned") {
        this.recordStep(run, op.id, { name, op: op.op, status: "Running", attempts: 1, startedAt });
        continue;
      }
      if (op.id in run.memo) continue; // a retried checkpoint
      run.memo[op.id] = { data: op.data ?? null };
      run.stack.push(op.id);
      const endedAt = op.timing ? startedAt + Math.round(op.timing.b / 1e6) : Date.now();
      this.recordStep(run, op.id, { name, op: op.op, status: "Completed", output: op.data ?? null, startedAt, endedAt, attempts: 1 });
    }
    open.progressed = true;
    this.store.changed();
    return { status: 200 };
  }

  /** Applies a 206 answer: each op becomes a memoized result or pending work. */
  private handleOps(run: Run, body: unknown, attempt: number, startedAt: number, retryAt?: number) {
    const parsed = outgoingOpSchema.array().safeParse(body);
    if (!parsed.success) {
      return this.fail(run, { name: "ProtocolError", message: `the SDK answered 206 with a body that is not a list of ops: ${parsed.error.message}` });
    }
    const now = Date.now();
    for (const op of parsed.data) {
      if (run.status !== "Running") return;
      if (op.id in run.memo) continue; // a sibling re-reported by an early replay
      const name = op.displayName ?? op.userland?.id ?? op.name ?? op.id;
      if (!isOpcode(op.op)) {
        return this.fail(run, {
          name: "UnknownOpcode",
          message:
            `the SDK sent opcode "${op.op}" (step "${name}"), which the devstack executor does not implement ` +
            `(it handles ${OPCODES.join(", ")}). Is the inngest package newer than 4.24.0?`,
        });
      }
      switch (op.op) {
        case "StepRun":
          this.finishStep(run, op.id, { data: op.data ?? null }, {
            name, op: op.op, status: "Completed", output: op.data ?? null, startedAt, attempts: attempt + 1,
          });
          break;
        case "StepFailed": {
          const error = toSerializedError(op.error);
          this.finishStep(run, op.id, { error }, { name, op: op.op, status: "Failed", error, startedAt, attempts: attempt + 1 });
          break;
        }
        case "StepError":
          this.retryStep(run, op, name, attempt, startedAt, retryAt);
          break;
        case "StepPlanned":
          if (run.pending[op.id]) break;
          run.pending[op.id] = { kind: "step", name, attempt: 0 };
          this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now });
          break;
        case "Sleep":
          this.sleep(run, op, name, now);
          break;
        case "WaitForEvent":
          this.waitForEvent(run, op, name, now);
          break;
        case "InvokeFunction":
          this.invoke(run, op, name, now);
          break;
        case "WaitForSignal":
          this.waitForSignal(run, op, name, now);
          break;
        case "RunComplete":
          return this.complete(run, op.data);
        case "DiscoveryRequest":
          run.discovery ??= { attempt: 0 };
          break;
      }
    }
    if (Object.keys(run.pending).length === 0 && !run.discovery && run.status === "Running") {
      // Nothing new, nothing pending: the SDK has nothing left to tell us and hasn't finished.
      this.fail(run, { name: "ProtocolError", message: "the SDK reported no new steps, none are pending, and the function did not finish" });
    }
  }

  private retryStep(run: Run, op: OutgoingOp, name: string, attempt: number, startedAt: number, retryAt?: number) {
    const error = toSerializedError(op.error);
    const next = attempt + 1;
    if (next >= run.maxAttempts) {
      // The SDK decides StepFailed itself from max_attempts; this only guards a confused SDK.
      this.finishStep(run, op.id, { error }, { name, op: "StepFailed", status: "Failed", error, startedAt, attempts: next });
      return;
    }
    const notBefore = Math.max(retryAt ?? 0, Date.now() + this.backoff(next));
    run.pending[op.id] = { kind: "step", name, attempt: next, notBefore };
    this.recordStep(run, op.id, { name, op: "StepError", status: "Waiting", error, startedAt, attempts: next });
  }

  private sleep(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const until = sleepTarget(op.name ?? "", now);
    if (until === undefined) {
      return this.fail(run, { name: "ProtocolError", message: `step "${name}": sleep target ${JSON.stringify(op.name)} is neither a duration nor a date` });
    }
    this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now, until });
    // A sleep that is already over ("0s", a past date) is no wait: the run goes on at once.
    if (until <= now) return this.finishStep(run, op.id, null, { status: "Completed", output: null });
    run.pending[op.id] = { kind: "sleep", until };
    this.schedule(run, op.id, until, () => this.expire(run.id, op.id));
  }

  private waitForEvent(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const opts = waitForEventOptsSchema.safeParse(op.opts);
    const timeout = opts.success ? parseDuration(opts.data.timeout) : undefined;
    if (!opts.success || timeout === undefined || !op.name) {
      return this.fail(run, { name: "ProtocolError", message: `step "${name}": malformed WaitForEvent ${JSON.stringify(op)}` });
    }
    const until = now + timeout;
    run.pending[op.id] = { kind: "wait", event: op.name, if: opts.data.if, until };
    this.waiting.add(run.id);
    this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now, until });
    this.schedule(run, op.id, until, () => this.expire(run.id, op.id));
  }

  private waitForSignal(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const opts = waitForSignalOptsSchema.safeParse(op.opts);
    const until = opts.success ? sleepTarget(opts.data.timeout, now) : undefined;
    if (!opts.success || until === undefined) {
      return this.fail(run, { name: "ProtocolError", message: `step "${name}": malformed WaitForSignal ${JSON.stringify(op.opts)}` });
    }
    this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now, until });
    if (!this.signals.wait(opts.data.signal, { runId: run.id, stepId: op.id }, opts.data.conflict === "replace")) {
      const error = { name: "Error", message: `${SIGNAL_CONFLICT_MESSAGE} (signal "${opts.data.signal}")` };
      this.recordStep(run, op.id, { status: "Failed", error, endedAt: now });
      return this.fail(run, error);
    }
    run.pending[op.id] = { kind: "signal", signal: opts.data.signal, until };
    this.schedule(run, op.id, until, () => this.expire(run.id, op.id));
  }

  /** `POST /v1/signals`: resumes the run waiting on `signal` with `data`; its id, or undefined if none waits. */
  signal(signal: string, data: unknown): string | undefined {
    const wait = this.signals.take(signal);
    const run = wait && this.store.runs.get(wait.runId);
    if (!wait || !run) return undefined;
    const output = { signal, data: data ?? null };
    this.finishStep(run, wait.stepId, { data: output }, { status: "Completed", output });
    return run.id;
  }

  private invoke(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const opts = invokeOptsSchema.safeParse(op.opts);
    if (!opts.success) {
      return this.fail(run, { name: "ProtocolError", message: `step "${name}": malformed InvokeFunction ${JSON.stringify(op.opts)}` });
    }
    const target = this.options.registry.functions.get(opts.data.function_id);
    const until = opts.data.timeout ? now + (parseDuration(opts.data.timeout) ?? 0) : undefined;
    this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now, until });
    if (!target) {
      // Inngest's own wording for it (its invoke fails with a plain "Error").
      const error = { name: "Error", message: MESSAGES.functionNotFound(opts.data.function_id) };
      return this.finishStep(run, op.id, { error }, { status: "Failed", error });
    }
    const data = isRecord(opts.data.payload.data) ? opts.data.payload.data : {};
    // Directed at one function, so it bypasses trigger matching (as on Inngest).
    const event = normalizeEvent(
      { name: INTERNAL_EVENTS.invoked, data: { ...data, _inngest: { fn_id: target.id, correlation_id: `${run.id}.${op.id}` } } },
      now,
    );
    const stored = { ...event, receivedAt: now, runIds: [] as string[] };
    this.store.addEvent(stored);
    const child = this.startRun(target, event, { invokedBy: { runId: run.id, stepId: op.id } });
    stored.runIds.push(child.id);
    run.pending[op.id] = { kind: "invoke", childRunId: child.id, until };
    if (until) this.schedule(run, op.id, until, () => this.expire(run.id, op.id));
  }

  /** A sleep ended, or a wait or invoke timed out. */
  private expire(runId: string, stepId: string) {
    const run = this.store.runs.get(runId);
    const op = run?.pending[stepId];
    if (!run || !op) return;
    if (op.kind === "invoke") {
      const error = { name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" };
      this.finishStep(run, stepId, { error }, { status: "Failed", error });
    } else {
      this.finishStep(run, stepId, null, { status: "Completed", output: null });
    }
  }

  /** Memoizes a step's result and lets the function resume. */
  private finishStep(run: Run, id: string, memo: unknown, record: Partial<StepRecord>) {
    run.memo[id] = memo;
    run.stack.push(id);
    delete run.pending[id];
    this.clearTimer(run.id, id);
    this.recordStep(run, id, { ...record, endedAt: Date.now() });
    this.memoVersion.set(run.id, (this.memoVersion.get(run.id) ?? 0) + 1);
    run.discovery ??= { attempt: 0 };
    this.store.changed();
    // Called from event and timer callbacks too, where no call is about to advance the run.
    queueMicrotask(() => this.advance(run));
  }

  private recordStep(run: Run, id: string, patch: Partial<StepRecord>) {
    let step = run.steps.find((s) => s.id === id);
    if (step) Object.assign(step, patch);
    else run.steps.push((step = { id, name: id, op: "", status: "Running", attempts: 0, startedAt: Date.now(), ...patch }));
    const attempt = attemptFromPatch(patch);
    if (attempt) recordAttempt(step, attempt);
  }

  // ---------------------------------------------------------------- retries and timers

  /** When to retry a call the SDK answered with an error, or undefined if it is final. */
  private retryAt(run: Run, attempt: number, result: Extract<CallResult, { kind: "sdk" }>): number | undefined {
    // Only `X-Inngest-No-Retry: true` or the last attempt is final, whatever the status (as
    // Inngest's ShouldRetry: the SDK marks its non-retriable 400s with the header).
    if (result.noRetry || attempt + 1 >= run.maxAttempts) return undefined;
    return Math.max(result.retryAt ?? 0, Date.now() + this.backoff(attempt + 1));
  }

  /** Exponential backoff with jitter (50–100 % of the step), so retries don't align. */
  private backoff(attempt: number): number {
    const { backoffBaseMs, backoffMaxMs } = this.options;
    const step = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(step * (0.5 + Math.random() / 2));
  }

  /** The app didn't answer: try the same call again later without spending an attempt. */
  private unavailableRetryAt(run: Run, result: Extract<CallResult, { kind: "unavailable" }>): number {
    const count = (this.unavailable.get(run.id) ?? 0) + 1;
    this.unavailable.set(run.id, count);
    if (result.refused) this.options.registry.markStale(run.appUrl);
    if (count === 1) this.options.log(`run ${run.id}: ${run.appUrl} is unavailable (${result.reason}); retrying until it answers`);
    run.note = `waiting for the app: ${result.reason}`;
    const delay = Math.min(this.options.unavailableMaxDelayMs, this.options.backoffBaseMs * 2 ** (count - 1));
    return Date.now() + delay;
  }

  private schedule(run: Run, key: string, at: number, wake: () => void) {
    this.clearTimer(run.id, key);
    const timers = this.timers.get(run.id) ?? new Map<string, NodeJS.Timeout>();
    this.timers.set(run.id, timers);
    // setTimeout overflows past ~24.8 days; a long sleep re-arms itself.
    const delay = Math.max(0, at - Date.now());
    const timer = setTimeout(() => {
      timers.delete(key);
      if (Date.now() < at) this.schedule(run, key, at, wake);
      else wake();
    }, Math.min(delay, 2 ** 31 - 1));
    timer.unref();
    timers.set(key, timer);
  }

  private clearTimer(runId: string, key: string) {
    const timers = this.timers.get(runId);
    const timer = timers?.get(key);
    if (timer) clearTimeout(timer);
    timers?.delete(key);
  }

  private inFlight(runId: string): Set<string> {
    let set = this.calling.get(runId);
    if (!set) this.calling.set(runId, (set = new Set()));
    return set;
  }
}

function isOpcode(op: string): op is Opcode {
  return (OPCODES as readonly string[]).includes(op);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
