/**
 * `step.waitForSignal` and `inngest.sendSignal` (SDK 4.24.0, experimental), against the real
 * SDK: the SDK posts `{signal, data}` to `/v1/signals`; the waiting step returns
 * `{signal, data}`, or `null` on timeout. A second wait on a name already waited on fails
 * its run (`onConflict: "fail"`) or takes the name over (`"replace"`).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 20_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function signalWaiter(harness: Harness, onConflict: "fail" | "replace" = "fail", timeout = "1m") {
  return harness.inngest.createFunction({ id: `waits-${onConflict}`, triggers: { event: `test/waits-${onConflict}` } }, async ({ event, step }) => {
    return step.waitForSignal("approval", { signal: String(event.data.signal), timeout, onConflict });
  });
}

const waitingOn = (eventId: string) => () => h!.runsOf(eventId)[0]?.steps.some((s) => s.name === "approval" && s.status === "Waiting");

describe("inngest executor: signals", () => {
  it("resumes the waiting run with the signal's data; sendSignal returns its run id", async () => {
    h = await createHarness();
    await h.serve([signalWaiter(h)]);
    const eventId = await h.send("test/waits-fail", { signal: "approve-42" });
    await h.until(waitingOn(eventId), "the run to wait for the signal");
    const sent = await h.inngest.sendSignal({ signal: "approve-42", data: { by: "ada" } });
    const run = await h.finished(eventId);
    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ signal: "approve-42", data: { by: "ada" } });
    expect(sent.runId).toBe(run.id);
  });

  it("returns null when the wait times out, and a signal nobody waits for resumes nothing", async () => {
    h = await createHarness();
    await h.serve([signalWaiter(h, "fail", "1s")]);
    const nobody = await h.inngest.sendSignal({ signal: "no-one-waits", data: {} });
    expect(nobody.runId).toBeUndefined();
    const eventId = await h.send("test/waits-fail", { signal: "too-late" });
    const run = await h.finished(eventId);
    expect(run.status).toBe("Completed");
    expect(run.output).toBeNull();
    expect((await h.inngest.sendSignal({ signal: "too-late" })).runId).toBeUndefined();
  });

  it('onConflict "fail": a second wait on the same signal fails its run', async () => {
    h = await createHarness();
    await h.serve([signalWaiter(h, "fail")]);
    const first = await h.send("test/waits-fail", { signal: "shared" });
    await h.until(waitingOn(first), "the first wait");
    const second = await h.send("test/waits-fail", { signal: "shared" });
    const failed = await h.finished(second);
    expect(failed.status).toBe("Failed");
    expect(failed.error?.message).toMatch(/Signal conflict/);
    await h.inngest.sendSignal({ signal: "shared", data: 1 });
    expect((await h.finished(first)).output).toEqual({ signal: "shared", data: 1 });
  });

  it('onConflict "replace": the newer wait takes the signal; the older one waits on until its timeout', async () => {
    h = await createHarness();
    await h.serve([signalWaiter(h, "replace", "2s")]);
    const first = await h.send("test/waits-replace", { signal: "handover" });
    await h.until(waitingOn(first), "the first wait");
    const second = await h.send("test/waits-replace", { signal: "handover" });
    await h.until(waitingOn(second), "the second wait");
    const sent = await h.inngest.sendSignal({ signal: "handover", data: "go" });
    const resumed = await h.finished(second);
    expect(sent.runId).toBe(resumed.id);
    expect(resumed.output).toEqual({ signal: "handover", data: "go" });
    const timedOut = await h.finished(first);
    expect(timedOut.status).toBe("Completed");
    expect(timedOut.output).toBeNull();
  });
});
