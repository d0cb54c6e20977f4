/**
 * What the executor remembers: runs, their steps and pending work, and recent events.
 * Everything lives in memory; with a data directory it is also written to one JSON file
 * (debounced) so a devstack restart keeps the run history and resumes unfinished runs.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EventPayload, SerializedError } from "./protocol";

export type RunStatus = "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";
export const TERMINAL: ReadonlySet<RunStatus> = new Set(["Completed", "Failed", "Cancelled"]);

/** One call that executed a step: when it ran and, if it failed, why. `attempt` counts from 1. */
export type StepAttempt = { attempt: number; startedAt: number; endedAt?: number; error?: SerializedError };

/** One step as the runs page shows it. */
export type StepRecord = {
  id: string;
  name: string;
  op: string;
  status: "Running" | "Waiting" | "Completed" | "Failed" | "Abandoned";
  attempts: number;
  /** Every attempt, oldest first (attempts.ts); absent in snapshots from before it was kept. */
  history?: StepAttempt[];
  startedAt: number;
  endedAt?: number;
  output?: unknown;
  error?: SerializedError;
  /** For sleeps, waits and invokes: when they give up or wake. */
  until?: number;
};

/** Work a run is waiting on, keyed by hashed step id. Serializable so it survives restarts. */
export type PendingOp =
  | { kind: "step"; name: string; attempt: number; notBefore?: number }
  | { kind: "sleep"; until: number }
  | { kind: "wait"; event: string; if?: string; until: number }
  | { kind: "invoke"; childRunId: string; until?: number }
  | { kind: "signal"; signal: string; until: number };

export type Run = {
  id: string;
  functionId: string;
  functionName: string;
  appUrl: string;
  event: EventPayload;
  events: EventPayload[];
  status: RunStatus;
  /** Why a non-terminal run isn't calling the app right now (throttled, app down, …). */
  note?: string;
  queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  output?: unknown;
  error?: SerializedError;
  /** The SDK's execution version, echoed back on every call (-1 until it tells us). */
  version: number;
  maxAttempts: number;
  /** Memoized step results sent back to the SDK: `{data}`, `{error}`, `null` or an event. */
  memo: Record<string, unknown>;
  /** Hashed step ids in completion order (`ctx.stack.stack`). */
  stack: string[];
  pending: Record<string, PendingOp>;
  /** A discovery call is due (something finished) and its attempt number. */
  discovery?: { attempt: number; notBefore?: number };
  /**
   * Calls made so far, numbered: each is a fresh dispatch, so a checkpoint that names an
   * older one (a call we gave up on, or one from before a restart) is stale.
   */
  dispatches?: number;
  steps: StepRecord[];
  /** Set when this run serves a `step.invoke`: the parent run and its step. */
  invokedBy?: { runId: string; stepId: string };
  /** Rerun of another run (same event). */
  rerunOf?: string;
  /** `singleton`: the key this run holds while it is unfinished. */
  singletonKey?: string;
  /** When the first call to the app began (Inngest's "started"; `timeouts` count from it). */
  calledAt?: number;
  /** `timeouts`: the deadline armed now, start (until the first call) or finish. */
  timeout?: { kind: "start" | "finish"; at: number; limit: string };
  /** A rerun from a step: that step's name; the steps before it were memoized from `rerunOf`. */
  rerunFromStep?: string;
};

export type StoredEvent = EventPayload & { receivedAt: number; runIds: string[] };

/** A debounce waiting to start its run (debounce.ts): the latest event so far, and when it is due. */
export type PendingDebounce = {
  /** `<function id>:<key value>`. */
  bucket: string;
  functionId: string;
  appUrl: string;
  event: EventPayload;
  dueAt: number;
  /** When `timeout` (counted from the first event) forces the run, if set. */
  timeoutAt?: number;
};

/** A batch still collecting events (batching.ts), in arrival order. */
export type PendingBatch = {
  bucket: string;
  functionId: string;
  appUrl: string;
  events: EventPayload[];
  dueAt: number;
};

type Snapshot = {
  version: 1;
  runs: Run[];
  events: StoredEvent[];
  /** Event ids seen, with when they were first seen (24 h de-duplication). */
  seenEventIds: [string, number][];
  /** Flow-control state that must survive a restart (idempotency keys, …). */
  flow: unknown;
  /** Absent in snapshots written before debounce and batching existed. */
  debounces?: PendingDebounce[];
  batches?: PendingBatch[];
};

/** History kept: the newest events, and the newest finished runs (unfinished ones always). */
const MAX_EVENTS = 1_000;
const MAX_FINISHED_RUNS = 2_000;
/** A snapshot is written at most this long after a change… */
const SAVE_DELAY_MS = 200;
/** …or, for a big state, after this many times as long as the last write took. */
const SAVE_TIME_SHARE = 10;

export class Store {
  readonly runs = new Map<string, Run>();
  readonly events: StoredEvent[] = [];
  readonly seenEventIds = new Map<string, number>();
  /** Debounces and batches that haven't started their run yet, by bucket. */
  readonly debounces = new Map<string, PendingDebounce>();
  readonly batches = new Map<string, PendingBatch>();
  /** Flow-control state as loaded; `flowState` supplies the live state when saving. */
  flow: unknown = undefined;
  flowState?: () => unknown;
  private readonly file?: string;
  private saveTimer?: NodeJS.Timeout;
  private lastSaveMs = 0;
  /** Told of every change (the runs page's live updates). */
  private readonly listeners = new Set<() => void>();

  constructor(dataDir?: string) {
    if (!dataDir) return;
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, "state.json");
    this.load();
  }

  addEvent(event: StoredEvent) {
    this.events.unshift(event);
    if (this.events.length > MAX_EVENTS) this.events.length = MAX_EVENTS;
    this.changed();
  }

  /**
   * Call after any change; writes are coalesced so busy runs don't rewrite the file per step.
   * A big state (10,000 queued runs is ~10 MB) takes ~100 ms to write, so the pause after
   * a write grows with it: snapshots never take more than about a tenth of the time.
   */
  changed() {
    for (const listener of this.listeners) listener();
    if (this.saveTimer) return;
    // Also prunes in memory-only mode, so a long session doesn't grow without bound.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const started = performance.now();
      this.save();
      this.lastSaveMs = performance.now() - started;
    }, Math.max(SAVE_DELAY_MS, SAVE_TIME_SHARE * this.lastSaveMs));
    this.saveTimer.unref();
  }

  /** Calls `listener` after every change until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes now (on close). */
  flush() {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.save();
  }

  /** Drops the oldest finished runs beyond MAX_FINISHED_RUNS (Map order = creation order). */
  private prune() {
    let excess = [...this.runs.values()].filter((run) => TERMINAL.has(run.status)).length - MAX_FINISHED_RUNS;
    for (const [id, run] of this.runs) {
      if (excess <= 0) break;
      if (!TERMINAL.has(run.status)) continue;
      this.runs.delete(id);
      excess--;
    }
  }

  private save() {
    this.prune();
    if (!this.file) return;
    const snapshot: Snapshot = {
      version: 1,
      runs: [...this.runs.values()],
      events: this.events,
      seenEventIds: [...this.seenEventIds],
      flow: this.flowState?.() ?? this.flow,
      debounces: [...this.debounces.values()],
      batches: [...this.batches.values()],
    };
    // Write then rename so a crash mid-write never leaves half a file.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(snapshot));
    renameSync(`${this.file}.tmp`, this.file);
  }

  private load() {
    if (!this.file) return;
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return; // first start
    }
    try {
      const snapshot = JSON.parse(text) as Snapshot;
      if (snapshot.version !== 1) throw new Error(`unknown snapshot version ${String(snapshot.version)}`);
      for (const run of snapshot.runs) this.runs.set(run.id, run);
      this.events.push(...snapshot.events);
      for (const [id, at] of snapshot.seenEventIds) this.seenEventIds.set(id, at);
      this.flow = snapshot.flow;
      for (const debounce of snapshot.debounces ?? []) this.debounces.set(debounce.bucket, debounce);
      for (const batch of snapshot.batches ?? []) this.batches.set(batch.bucket, batch);
    } catch (error) {
      // A corrupt snapshot must not stop the devstack; start empty and say so.
      console.warn(`inngest: ignoring unreadable ${this.file}: ${(error as Error).message}`);
    }
  }
}
