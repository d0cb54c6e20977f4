/**
 * `timeouts { start?, finish? }`, as Inngest applies them:
 * - `start`: how long a run may wait, from being queued (the event's arrival) to its first
 *   call to the app: throttled, scheduled for a future `ts`, or waiting for a concurrency
 *   slot. A run that hasn't started by then is cancelled.
 * - `finish`: how long a run may take from that first call to its end (sleeps and waits
 *   included). A run still going then is cancelled.
 * Both cancel the run the ordinary way, so `inngest/function.cancelled` is sent.
 */
import type { FunctionDef } from "./registry";
import type { Run } from "./store";
import { parseDuration } from "./time";

type Deadline = NonNullable<Run["timeout"]>;

/** The start deadline of a run of `fn` queued now, if the function sets one. */
export function startDeadline(fn: FunctionDef, queuedAt: number): Deadline | undefined {
  return deadline("start", fn.config.timeouts?.start, queuedAt);
}

/** The finish deadline of a run of `fn` whose first call began at `calledAt`. */
export function finishDeadline(fn: FunctionDef, calledAt: number): Deadline | undefined {
  return deadline("finish", fn.config.timeouts?.finish, calledAt);
}

export function timeoutReason(timeout: Deadline): string {
  return timeout.kind === "start"
    ? `timeouts.start (${timeout.limit}) passed before the run started`
    : `timeouts.finish (${timeout.limit}) passed before the run finished`;
}

function deadline(kind: Deadline["kind"], limit: string | undefined, from: number): Deadline | undefined {
  const ms = limit === undefined ? undefined : parseDuration(limit);
  // Inngest ignores a timeout of zero; a malformed one is reported at sync (registry.ts).
  if (!ms || ms <= 0) return undefined;
  return { kind, at: from + ms, limit: limit! };
}
