/**
 * "Rerun from this step": a new run of the same event that starts with the memo of the
 * steps that finished before the chosen one, so the SDK replays those from memory (their
 * code doesn't run again) and executes the chosen step and everything after it afresh.
 *
 * This is sound under Inngest's replay model: a function is re-executed from the top on
 * every call and each `step.*` returns its memoized result if the request carries one for
 * its hashed id. A run handed a prefix of another run's memo is indistinguishable, to the
 * SDK, from that run paused right after those steps. "Before" means before in completion
 * order (`run.stack`): for sequential code that is every step above the chosen one; with
 * parallel steps it is those that had finished when the chosen one did. A step the run
 * never finished (still running, abandoned at a cancel) keeps every finished step.
 * Caveat, as on Inngest: if the code changed so that steps have different ids, memo
 * entries nobody asks for are ignored and those steps run again.
 */
import type { Run } from "./store";

export type RerunStart = Required<Pick<Run, "memo" | "stack" | "rerunFromStep">>;

export function rerunFromStep(run: Run, stepId: string): RerunStart | undefined {
  const step = run.steps.find((s) => s.id === stepId);
  if (!step) return undefined;
  const index = run.stack.indexOf(stepId);
  const stack = index === -1 ? run.stack.filter((id) => id in run.memo) : run.stack.slice(0, index);
  const memo: Record<string, unknown> = {};
  for (const id of stack) memo[id] = structuredClone(run.memo[id]);
  return { memo, stack: [...stack], rerunFromStep: step.name };
}
