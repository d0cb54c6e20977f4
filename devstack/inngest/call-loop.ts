/**
 * The call loop: the calls to the function's runtime URL that drive a run.
 * A *discovery* call (`stepId=step`) replays the function against the memoized step
 * results and answers with the next ops; a *step* call (`stepId=<hashed id>`) runs one
 * planned step. Discovery runs again once something finished and no planned step is still
 * executing, so parallel steps all finish before the function resumes. It owns what is in
 * flight, each call's concurrency slots, and the checkpoints a call sends while it lasts.
 */
import { MESSAGES } from "./api-errors";
import { callFunction, type CallResult } from "./call";
import type { ExecutorContext } from "./context";
import { HEADERS, toSerializedError, type AsyncCheckpoint, type CallRequestBody, type SerializedError } from "./protocol";
import type { PendingOp, Run, StepRecord } from "./store";
import { finishDeadline } from "./timeouts";
import { retryAt, unavailableRetryAt } from "./timers";

/** What a checkpoint answers: the SDK only reads the status (409 = stale, stop). */
export type CheckpointAnswer = { status: 200 } | { status: 400 | 404 | 409; error: string };

/** A call's result, and whether the SDK checkpointed progress during it. */
type Answer = CallResult & { progressed: boolean };

/** The stepId of a discovery call, and the key of its in-flight marker. */
export const DISCOVERY = "step";

/** What the call loop needs from the rest of the executor. */
export type CallLoopDeps = {
  /** The op handlers: a 206 answer's ops, and the step records. */
  handleOps(run: Run, body: unknown, attempt: number, startedAt: number, retryAt?: number): void;
  recordStep(run: Run, id: string, patch: Partial<StepRecord>): void;
  /** The lifecycle: a run's end, and its `timeouts.finish` deadline once it first calls. */
  complete(run: Run, output: unknown): void;
  fail(run: Run, error: SerializedError): void;
  armTimeout(run: Run, timeout: NonNullable<Run["timeout"]>): void;
};

export class CallLoop {
  /** Calls in flight per run: "step" (discovery) or hashed step ids. */
  private readonly calling = new Map<string, Set<string>>();
  /**
   * The discovery call each run has in flight, by its queue-item id; `progressed` once a
   * checkpoint from it was taken (attempts then count afresh, as on Inngest).
   */
  private readonly dispatch = new Map<string, { qiId: string; progressed: boolean }>();
  private closed = false;

  constructor(
    private readonly ctx: ExecutorContext,
    private readonly deps: CallLoopDeps,
  ) {}

  /** Makes no more calls (answers still arriving are ignored). */
  close() {
    this.closed = true;
  }

  /** Starts whatever calls the run is ready for. Safe to call any time. */
  advance(run: Run) {
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
        this.ctx.timers.schedule(run.id, id, op.notBefore, () => this.advance(run));
        continue;
      }
      void this.callStep(run, id, op, planned.length > 1);
    }
    // Parallel steps all finish before the function is replayed; an earlier discovery
    // would re-report the unfinished ones.
    if (planned.length > 0 || !run.discovery) return;
    if (run.discovery.notBefore && run.discovery.notBefore > now) {
      this.ctx.timers.schedule(run.id, DISCOVERY, run.discovery.notBefore, () => this.advance(run));
      return;
    }
    void this.callDiscovery(run);
  }

  private async callDiscovery(run: Run) {
    const calledAttempt = run.discovery?.attempt ?? 0;
    const memoAtCall = this.ctx.memoVersion.get(run.id) ?? 0;
    const startedAt = Date.now();
    const result = await this.call(run, DISCOVERY, calledAttempt, false);
    if (!result) return;
    // Once a call checkpointed progress, its attempts count afresh (Inngest resets the
    // queue item's attempts on every checkpoint).
    const attempt = result.progressed ? 0 : calledAttempt;
    if (result.kind === "unavailable") {
      run.discovery = { attempt, notBefore: unavailableRetryAt(this.ctx, run, result) };
      return this.advance(run);
    }
    if (result.status === 206) {
      // Something finished while the SDK was replaying: it hasn't seen that yet.
      const stale = (this.ctx.memoVersion.get(run.id) ?? 0) !== memoAtCall;
      run.discovery = stale ? { attempt: 0 } : undefined;
      // Steps the SDK ran inline (a lone new step.run) report the discovery's timing.
      this.deps.handleOps(run, result.body, attempt, startedAt, result.retryAt);
      return this.advance(run);
    }
    if (result.status === 200) return this.deps.complete(run, result.body);
    const retryTime = retryAt(this.ctx.options, run, attempt, result);
    if (retryTime === undefined) return this.deps.fail(run, toSerializedError(result.body, `function answered ${result.status}`));
    run.discovery = { attempt: attempt + 1, notBefore: retryTime };
    this.advance(run);
  }

  private async callStep(run: Run, id: string, op: Extract<PendingOp, { kind: "step" }>, parallel: boolean) {
    const startedAt = Date.now();
    this.deps.recordStep(run, id, { name: op.name, op: "StepPlanned", status: "Running", attempts: op.attempt + 1, startedAt });
    const result = await this.call(run, id, op.attempt, parallel);
    if (!result) return;
    if (result.kind === "unavailable") {
      op.notBefore = unavailableRetryAt(this.ctx, run, result);
      return this.advance(run);
    }
    if (result.status === 206) {
      this.deps.handleOps(run, result.body, op.attempt, startedAt, result.retryAt);
      return this.advance(run);
    }
    if (result.status === 200) return this.deps.complete(run, result.body);
    // The function threw outside the step while replaying to it: a function-level error.
    const error = toSerializedError(result.body, `function answered ${result.status}`);
    this.deps.recordStep(run, id, { status: "Waiting", error, startedAt, attempts: op.attempt + 1 });
    const retryTime = retryAt(this.ctx.options, run, op.attempt, result);
    if (retryTime === undefined) return this.deps.fail(run, error);
    Object.assign(op, { attempt: op.attempt + 1, notBefore: retryTime });
    this.advance(run);
  }

  /**
   * Makes one call, holding the function's concurrency slots for its duration. Returns
   * undefined when the run ended meanwhile (its answer no longer matters).
   */
  private async call(run: Run, stepId: string, attempt: number, parallel: boolean): Promise<Answer | undefined> {
    const { options, store } = this.ctx;
    const fn = options.registry.functions.get(run.functionId);
    const calling = this.inFlight(run.id);
    calling.add(stepId);
    try {
      if (!fn) {
        // Right after a restart the app may not be synced yet: wait for it. Once it has
        // synced without this function (renamed or deleted), the run can't go on.
        if (!options.registry.apps.get(run.appUrl)?.syncedAt) {
          options.registry.markStale(run.appUrl);
          return { kind: "unavailable", reason: `${run.appUrl} has not synced yet`, refused: false, progressed: false };
        }
        this.deps.fail(run, { name: "Error", message: `function ${run.functionId} is no longer served by ${run.appUrl}` });
        return undefined;
      }
      const { flow } = options;
      // Inngest's queue score: a first attempt is queued as of when its run was (so older
      // runs finish first), minus the run's priority factor; a retry as of when it fell due.
      const order = attempt === 0 ? run.queuedAt - flow.priorityFactor(fn, run.event) * 1_000 : Date.now();
      const release = await flow.acquire(flow.concurrencyLimits(fn, run.event), order);
      try {
        if (run.status !== "Running" || this.closed) return undefined;
        const generation = (run.dispatches = (run.dispatches ?? 0) + 1);
        const qiId = `${run.id}:${generation}`;
        const checkpointing = options.checkpointing && stepId === DISCOVERY && !parallel;
        if (checkpointing) this.dispatch.set(run.id, { qiId, progressed: false });
        if (run.calledAt === undefined) {
          // The run starts now (as far as `timeouts` go): the start deadline is met.
          run.calledAt = Date.now();
          run.timeout = undefined;
          this.ctx.timers.clear(run.id, "timeout");
          const finish = finishDeadline(fn, run.calledAt);
          if (finish) this.deps.armTimeout(run, finish);
        }
        const body: CallRequestBody = {
          version: run.version,
          event: run.event,
          events: run.events,
          steps: run.memo,
          ctx: {
            run_id: run.id,
            ...(options.checkpointing ? { fn_id: fn.id, qi_id: qiId } : {}),
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
          result = await callFunction(fn.runtimeUrl, stepId, body, options.callTimeoutMs, {
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
        result = this.ctx.notSdk.classify(run.id, result);
        if (result.kind === "sdk") {
          if (result.version !== undefined) run.version = result.version;
          if (this.ctx.unavailable.has(run.id)) {
            this.ctx.unavailable.delete(run.id);
            run.note = undefined;
          }
        }
        store.changed();
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
    const run = this.ctx.store.runs.get(runId);
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
        this.deps.recordStep(run, op.id, { name, op: op.op, status: "Running", attempts: 1, startedAt });
        continue;
      }
      if (op.id in run.memo) continue; // a retried checkpoint
      run.memo[op.id] = { data: op.data ?? null };
      run.stack.push(op.id);
      const endedAt = op.timing ? startedAt + Math.round(op.timing.b / 1e6) : Date.now();
      this.deps.recordStep(run, op.id, { name, op: op.op, status: "Completed", output: op.data ?? null, startedAt, endedAt, attempts: 1 });
    }
    open.progressed = true;
    this.ctx.store.changed();
    return { status: 200 };
  }

  /** How many calls to the app the run has in flight, counting one still waiting for a concurrency slot. */
  callsInFlight(runId: string): number {
    return this.calling.get(runId)?.size ?? 0;
  }

  private inFlight(runId: string): Set<string> {
    let set = this.calling.get(runId);
    if (!set) this.calling.set(runId, (set = new Set()));
    return set;
  }
}
