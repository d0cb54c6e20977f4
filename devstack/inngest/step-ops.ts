/**
 * The op handlers: what each op the SDK reports becomes. A finished
 * step is memoized (`finishStep`), anything else becomes pending work on the run (a
 * planned step, a retry, a sleep, a wait for an event or a signal, an invoke) with the
 * timer that ends it. Also the run's step records, which the runs page shows.
 */
import { MESSAGES } from "./api-errors";
import { attemptFromPatch, recordAttempt } from "./attempts";
import type { ExecutorContext } from "./context";
import { normalizeEvent } from "./events";
import type { RunExtras } from "./lifecycle";
import {
  INTERNAL_EVENTS,
  OPCODES,
  invokeOptsSchema,
  outgoingOpSchema,
  waitForSignalOptsSchema,
  toSerializedError,
  waitForEventOptsSchema,
  type EventPayload,
  type Opcode,
  type OutgoingOp,
  type SerializedError,
} from "./protocol";
import type { FunctionDef } from "./registry";
import { SIGNAL_CONFLICT_MESSAGE } from "./signals";
import type { Run, StepRecord } from "./store";
import { parseDuration, sleepTarget } from "./time";
import { backoff } from "./timers";

/** What the op handlers need from the rest of the executor. */
export type StepOpsDeps = {
  /** The call loop: starts whatever calls the run is ready for. */
  advance(run: Run): void;
  /** The lifecycle: a child run for `step.invoke`, and a run's end. */
  startRun(fn: FunctionDef, event: EventPayload, extra: RunExtras): Run;
  complete(run: Run, output: unknown): void;
  fail(run: Run, error: SerializedError): void;
};

export class StepOps {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly deps: StepOpsDeps,
  ) {}

  /** Applies a 206 answer: each op becomes a memoized result or pending work. */
  handleOps(run: Run, body: unknown, attempt: number, startedAt: number, retryAt?: number) {
    const parsed = outgoingOpSchema.array().safeParse(body);
    if (!parsed.success) {
      return this.deps.fail(run, { name: "ProtocolError", message: `the SDK answered 206 with a body that is not a list of ops: ${parsed.error.message}` });
    }
    const now = Date.now();
    for (const op of parsed.data) {
      if (run.status !== "Running") return;
      if (op.id in run.memo) continue; // a sibling re-reported by an early replay
      const name = op.displayName ?? op.userland?.id ?? op.name ?? op.id;
      if (!isOpcode(op.op)) {
        return this.deps.fail(run, {
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
          return this.deps.complete(run, op.data);
        case "DiscoveryRequest":
          run.discovery ??= { attempt: 0 };
          break;
      }
    }
    if (Object.keys(run.pending).length === 0 && !run.discovery && run.status === "Running") {
      // Nothing new, nothing pending: the SDK has nothing left to tell us and hasn't finished.
      this.deps.fail(run, { name: "ProtocolError", message: "the SDK reported no new steps, none are pending, and the function did not finish" });
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
    const notBefore = Math.max(retryAt ?? 0, Date.now() + backoff(this.ctx.options, next));
    run.pending[op.id] = { kind: "step", name, attempt: next, notBefore };
    this.recordStep(run, op.id, { name, op: "StepError", status: "Waiting", error, startedAt, attempts: next });
  }

  private sleep(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const until = sleepTarget(op.name ?? "", now);
    if (until === undefined) {
      return this.deps.fail(run, { name: "ProtocolError", message: `step "${name}": sleep target ${JSON.stringify(op.name)} is neither a duration nor a date` });
    }
    this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now, until });
    // A sleep that is already over ("0s", a past date) is no wait: the run goes on at once.
    if (until <= now) return this.finishStep(run, op.id, null, { status: "Completed", output: null });
    run.pending[op.id] = { kind: "sleep", until };
    this.ctx.timers.schedule(run.id, op.id, until, () => this.expire(run.id, op.id));
  }

  private waitForEvent(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const opts = waitForEventOptsSchema.safeParse(op.opts);
    const timeout = opts.success ? parseDuration(opts.data.timeout) : undefined;
    if (!opts.success || timeout === undefined || !op.name) {
      return this.deps.fail(run, { name: "ProtocolError", message: `step "${name}": malformed WaitForEvent ${JSON.stringify(op)}` });
    }
    const until = now + timeout;
    run.pending[op.id] = { kind: "wait", event: op.name, if: opts.data.if, until };
    this.ctx.waiting.add(run.id);
    this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now, until });
    this.ctx.timers.schedule(run.id, op.id, until, () => this.expire(run.id, op.id));
  }

  private waitForSignal(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const opts = waitForSignalOptsSchema.safeParse(op.opts);
    const until = opts.success ? sleepTarget(opts.data.timeout, now) : undefined;
    if (!opts.success || until === undefined) {
      return this.deps.fail(run, { name: "ProtocolError", message: `step "${name}": malformed WaitForSignal ${JSON.stringify(op.opts)}` });
    }
    this.recordStep(run, op.id, { name, op: op.op, status: "Waiting", attempts: 0, startedAt: now, until });
    if (!this.ctx.signals.wait(opts.data.signal, { runId: run.id, stepId: op.id }, opts.data.conflict === "replace")) {
      const error = { name: "Error", message: `${SIGNAL_CONFLICT_MESSAGE} (signal "${opts.data.signal}")` };
      this.recordStep(run, op.id, { status: "Failed", error, endedAt: now });
      return this.deps.fail(run, error);
    }
    run.pending[op.id] = { kind: "signal", signal: opts.data.signal, until };
    this.ctx.timers.schedule(run.id, op.id, until, () => this.expire(run.id, op.id));
  }

  /** `POST /v1/signals`: resumes the run waiting on `signal` with `data`; its id, or undefined if none waits. */
  signal(signal: string, data: unknown): string | undefined {
    const wait = this.ctx.signals.take(signal);
    const run = wait && this.ctx.store.runs.get(wait.runId);
    if (!wait || !run) return undefined;
    const output = { signal, data: data ?? null };
    this.finishStep(run, wait.stepId, { data: output }, { status: "Completed", output });
    return run.id;
  }

  private invoke(run: Run, op: OutgoingOp, name: string, now: number) {
    if (run.pending[op.id]) return;
    const opts = invokeOptsSchema.safeParse(op.opts);
    if (!opts.success) {
      return this.deps.fail(run, { name: "ProtocolError", message: `step "${name}": malformed InvokeFunction ${JSON.stringify(op.opts)}` });
    }
    const target = this.ctx.options.registry.functions.get(opts.data.function_id);
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
    this.ctx.store.addEvent(stored);
    const child = this.deps.startRun(target, event, { invokedBy: { runId: run.id, stepId: op.id } });
    stored.runIds.push(child.id);
    run.pending[op.id] = { kind: "invoke", childRunId: child.id, until };
    if (until) this.ctx.timers.schedule(run.id, op.id, until, () => this.expire(run.id, op.id));
  }

  /** A sleep ended, or a wait or invoke timed out. */
  expire(runId: string, stepId: string) {
    const run = this.ctx.store.runs.get(runId);
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
  finishStep(run: Run, id: string, memo: unknown, record: Partial<StepRecord>) {
    run.memo[id] = memo;
    run.stack.push(id);
    delete run.pending[id];
    this.ctx.timers.clear(run.id, id);
    this.recordStep(run, id, { ...record, endedAt: Date.now() });
    this.ctx.memoVersion.set(run.id, (this.ctx.memoVersion.get(run.id) ?? 0) + 1);
    run.discovery ??= { attempt: 0 };
    this.ctx.store.changed();
    // Called from event and timer callbacks too, where no call is about to advance the run.
    queueMicrotask(() => this.deps.advance(run));
  }

  recordStep(run: Run, id: string, patch: Partial<StepRecord>) {
    let step = run.steps.find((s) => s.id === id);
    if (step) Object.assign(step, patch);
    else run.steps.push((step = { id, name: id, op: "", status: "Running", attempts: 0, startedAt: Date.now(), ...patch }));
    const attempt = attemptFromPatch(patch);
    if (attempt) recordAttempt(step, attempt);
  }
}

function isOpcode(op: string): op is Opcode {
  return (OPCODES as readonly string[]).includes(op);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
