/**
 * The executor: the facade the routes, the cron scheduler and the server
 * use. It wires its parts together and keeps their public API in one place:
 * - `intake.ts`: the event pipeline (de-duplication, cancelOn, waits, triggers);
 * - `lifecycle.ts`: a run from trigger to end (singleton, throttle, timeouts, ends);
 * - `call-loop.ts`: the calls to the app that drive a run, and checkpoints;
 * - `step-ops.ts`: what each op the SDK reports becomes;
 * - `timers.ts`: the timers and retry timing;
 * - `context.ts`: the options and in-memory state they share.
 * The parts reach each other only through the narrow `…Deps` each declares, wired here.
 *
 * Everything about a run is kept in the serializable `Run` (store.ts); timers and in-flight
 * calls are rebuilt from it after a restart, so a run resumes where it was (at least once:
 * a step that was executing when the devstack stopped runs again).
 */
import { CallLoop, type CheckpointAnswer } from "./call-loop";
import type { ExecutorContext, ExecutorOptions } from "./context";
import { Intake } from "./intake";
import { Lifecycle, type RunExtras } from "./lifecycle";
import type { AsyncCheckpoint, EventPayload, IncomingEvent } from "./protocol";
import type { FunctionDef } from "./registry";
import { NotSdkGrace } from "./retry-rules";
import { Signals } from "./signals";
import { Singletons } from "./singleton";
import { StepOps } from "./step-ops";
import { TERMINAL, type Run } from "./store";
import { RunTimers } from "./timers";

export type { CheckpointAnswer } from "./call-loop";
export type { ExecutorOptions } from "./context";

export class Executor {
  private readonly ctx: ExecutorContext;
  private readonly intake: Intake;
  private readonly lifecycle: Lifecycle;
  private readonly callLoop: CallLoop;
  private readonly stepOps: StepOps;

  constructor(options: ExecutorOptions) {
    const ctx: ExecutorContext = {
      options,
      store: options.store,
      timers: new RunTimers(),
      unavailable: new Map(),
      memoVersion: new Map(),
      waiting: new Set(),
      singletons: new Singletons(options.store.runs),
      signals: new Signals(options.store.runs),
      notSdk: new NotSdkGrace(options.notSdkGraceMs),
    };
    this.ctx = ctx;
    // The parts call each other only when events, timers and answers arrive, by which
    // time all of them exist.
    this.intake = new Intake(ctx, {
      trigger: (fn, event) => this.lifecycle.trigger(fn, event),
      startDeferred: (pending, event, events) => this.lifecycle.startDeferred(pending, event, events),
      cancel: (run, reason) => this.lifecycle.cancel(run, reason),
      finishStep: (run, id, memo, record) => this.stepOps.finishStep(run, id, memo, record),
      send: (incoming) => this.send(incoming),
    });
    this.lifecycle = new Lifecycle(ctx, {
      advance: (run) => this.callLoop.advance(run),
      finishStep: (run, id, memo, record) => this.stepOps.finishStep(run, id, memo, record),
      emit: (event) => this.intake.emit(event),
    });
    this.callLoop = new CallLoop(ctx, {
      handleOps: (run, body, attempt, startedAt, retryAt) => this.stepOps.handleOps(run, body, attempt, startedAt, retryAt),
      recordStep: (run, id, patch) => this.stepOps.recordStep(run, id, patch),
      complete: (run, output) => this.lifecycle.complete(run, output),
      fail: (run, error) => this.lifecycle.fail(run, error),
      armTimeout: (run, timeout) => this.lifecycle.armTimeout(run, timeout),
    });
    this.stepOps = new StepOps(ctx, {
      advance: (run) => this.callLoop.advance(run),
      startRun: (fn, event, extra) => this.lifecycle.startRun(fn, event, extra),
      complete: (run, output) => this.lifecycle.complete(run, output),
      fail: (run, error) => this.lifecycle.fail(run, error),
    });
  }

  /** Picks up unfinished runs from a loaded snapshot. */
  resume() {
    const { store, timers } = this.ctx;
    this.intake.resume();
    this.ctx.singletons.resume();
    this.ctx.signals.resume();
    for (const run of store.runs.values()) {
      if (TERMINAL.has(run.status)) continue;
      if (run.timeout) this.lifecycle.armTimeout(run, run.timeout);
      if (run.status === "Queued") {
        if (run.event.ts > Date.now()) timers.schedule(run.id, "start", run.event.ts, () => this.lifecycle.begin(run));
        else this.lifecycle.begin(run);
        continue;
      }
      for (const [id, op] of Object.entries(run.pending)) {
        if (op.kind === "sleep" || op.kind === "wait" || op.kind === "signal" || (op.kind === "invoke" && op.until)) {
          timers.schedule(run.id, id, op.until ?? Date.now(), () => this.stepOps.expire(run.id, id));
        }
        if (op.kind === "wait") this.ctx.waiting.add(run.id);
      }
      this.callLoop.advance(run);
    }
  }

  close() {
    this.callLoop.close();
    this.intake.close();
    this.ctx.timers.close();
  }

  /** `POST /e/:key` and the events form: see intake.ts. Returns the events' ids. */
  send(incoming: IncomingEvent[]): string[] {
    return this.intake.send(incoming);
  }

  /** Starts a run for a trigger (an event or a cron tick), unless a `singleton` holds it back. */
  trigger(fn: FunctionDef, event: EventPayload, extra: Partial<Pick<Run, "events">> = {}): Run | undefined {
    return this.lifecycle.trigger(fn, event, extra);
  }

  /** Creates a run and starts it (invoke, rerun), bypassing trigger matching and `singleton`. */
  startRun(fn: FunctionDef, event: EventPayload, extra: RunExtras = {}): Run {
    return this.lifecycle.startRun(fn, event, extra);
  }

  /** Cancels an unfinished run; `reason` is for the runs page only. */
  cancel(run: Run, reason = "cancelled") {
    this.lifecycle.cancel(run, reason);
  }

  /** `POST /v1/checkpoint/:runId/async`: see call-loop.ts. */
  checkpoint(runId: string, checkpoint: AsyncCheckpoint): CheckpointAnswer {
    return this.callLoop.checkpoint(runId, checkpoint);
  }

  /**
   * Read-only, for tests: the calls to the app the run has in flight. Once a run has ended
   * and this is 0, the executor makes no more calls for it and the app has answered the last
   * one (unless that call was given up on at `callTimeoutMs`), so nothing more can happen to it.
   */
  callsInFlight(runId: string): number {
    return this.callLoop.callsInFlight(runId);
  }

  /** `POST /v1/signals`: the id of the run it resumed, or undefined if none waits. */
  signal(signal: string, data: unknown): string | undefined {
    return this.stepOps.signal(signal, data);
  }
}
