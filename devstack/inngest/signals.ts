/**
 * `step.waitForSignal` / `inngest.sendSignal`: a run waits on a signal name, unique across
 * the environment, until `POST /v1/signals {signal, data}` resumes it (its step returns
 * `{signal, data}`) or the wait times out (`null`). A second wait on a name that another
 * run is waiting on fails that second run (`onConflict: "fail"`, the default) or takes the
 * name over (`"replace"`: the first wait stays pending until its timeout).
 */
import type { Run } from "./store";

export const SIGNAL_CONFLICT_MESSAGE = "Signal conflict; signal wait already exists for another run";

export type SignalWait = { runId: string; stepId: string };

export class Signals {
  private readonly waits = new Map<string, SignalWait>();

  constructor(private readonly runs: ReadonlyMap<string, Run>) {}

  /** Rebuilds the index from stored runs after a restart. */
  resume() {
    for (const run of this.runs.values()) {
      for (const [stepId, op] of Object.entries(run.pending)) {
        if (op.kind === "signal") this.waits.set(op.signal, { runId: run.id, stepId });
      }
    }
  }

  /** The live wait on `signal`, if any (a finished or resumed one no longer counts). */
  waiting(signal: string): SignalWait | undefined {
    const wait = this.waits.get(signal);
    const op = wait && this.runs.get(wait.runId)?.pending[wait.stepId];
    if (wait && op?.kind === "signal" && op.signal === signal) return wait;
    this.waits.delete(signal);
    return undefined;
  }

  /** Registers a wait; false if another run already waits on the name and this one may not replace it. */
  wait(signal: string, wait: SignalWait, replace: boolean): boolean {
    const current = this.waiting(signal);
    if (current && current.runId !== wait.runId && !replace) return false;
    this.waits.set(signal, wait);
    return true;
  }

  /** Takes the wait a signal resumes (it resumes one run, once). */
  take(signal: string): SignalWait | undefined {
    const wait = this.waiting(signal);
    this.waits.delete(signal);
    return wait;
  }
}
