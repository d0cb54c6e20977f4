/**
 * What the executor's parts (intake, lifecycle, call loop, step ops) share: the options
 * and the per-run state that lives in memory only. None of it is in the serializable `Run`
 * (store.ts): it is rebuilt from the runs after a restart (executor.ts `resume`).
 */
import type { FlowControl } from "./flow-control";
import type { Registry } from "./registry";
import type { NotSdkGrace } from "./retry-rules";
import type { Signals } from "./signals";
import type { Singletons } from "./singleton";
import type { Store } from "./store";
import type { RunTimers } from "./timers";

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

export type ExecutorContext = {
  readonly options: ExecutorOptions;
  readonly store: Store;
  readonly timers: RunTimers;
  /** Consecutive "app unavailable" answers per run, for backoff. */
  readonly unavailable: Map<string, number>;
  /** Bumped whenever a run's memo changes, to tell if a discovery answer is already stale. */
  readonly memoVersion: Map<string, number>;
  /** Runs that may have a `step.waitForEvent` pending, so an event needn't visit every run. */
  readonly waiting: Set<string>;
  readonly singletons: Singletons;
  readonly signals: Signals;
  readonly notSdk: NotSdkGrace;
};
