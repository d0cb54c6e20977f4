/**
 * When an answer that didn't come from the SDK spends an attempt.
 *
 * Inngest counts every non-SDK answer (a proxy's 502, an HTML error page) as a failed
 * attempt. Locally the usual cause is `next dev` recompiling or showing a compile error
 * while the developer edits, so such answers are retried for free for a grace period (per
 * run, from the first of an unbroken series); after it, each one is a failed attempt with
 * the usual backoff, so a route that never serves the SDK fails its runs instead of
 * retrying them forever. An SDK answer ends the series.
 *
 * A refused connection or a timeout (the app is down or restarting) still never spends an
 * attempt: Inngest would, but locally that means the developer stopped `next dev`, and the
 * run should pick up where it was when it comes back.
 */
import type { CallResult } from "./call";

export class NotSdkGrace {
  /** Run id → when its current series of non-SDK answers began. */
  private readonly since = new Map<string, number>();

  constructor(private readonly graceMs: number) {}

  /** Turns a non-SDK answer past the grace period into a failed (retriable) SDK-style answer. */
  classify(runId: string, result: CallResult, now = Date.now()): CallResult {
    if (result.kind === "sdk") {
      this.since.delete(runId);
      return result;
    }
    if (result.notSdkStatus === undefined) return result;
    const since = this.since.get(runId) ?? now;
    this.since.set(runId, since);
    if (now - since < this.graceMs) return result;
    return {
      kind: "sdk",
      status: result.notSdkStatus,
      body: { name: "Error", message: `the app answered without the Inngest SDK (for over ${this.graceMs} ms): ${result.reason}` },
      noRetry: false,
    };
  }

  forget(runId: string) {
    this.since.delete(runId);
  }
}
