/**
 * Every way to cancel a run emits `inngest/function.cancelled` with the payload Inngest
 * documents (docs: reference/system-events/inngest-function-cancelled), so a function
 * that listens for it (the app's job mirror does) ends its work whichever way it went.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Received = { name: string; data: Record<string, unknown>; ts: number; id: string };

/** A long-sleeping function that cancelOn can stop, and a listener that records what it heard. */
async function cancellableApp() {
  const harness = (h = await createHarness());
  const heard: Received[] = [];
  const sleeper = harness.inngest.createFunction(
    { id: "sleeper", triggers: { event: "test/sleep" }, cancelOn: [{ event: "test/sleep.cancel", match: "data.jobId" }] },
    async ({ step }) => {
      await step.sleep("nap", "1m");
    },
  );
  const listener = harness.inngest.createFunction(
    { id: "on-cancel", triggers: { event: "inngest/function.cancelled" } },
    async ({ event }) => {
      heard.push(event as unknown as Received);
    },
  );
  await harness.serve([sleeper, listener]);
  const start = async () => {
    const eventId = await harness.send("test/sleep", { jobId: `job-${heard.length}-${Date.now()}` });
    const run = await harness.until(() => harness.runsOf(eventId).find((r) => r.steps.some((s) => s.name === "nap")), "the nap");
    return run;
  };
  const heardFor = (runId: string) => harness.until(() => heard.find((e) => e.data.run_id === runId), `function.cancelled for ${runId}`);
  return { harness, start, heardFor };
}

describe("inngest executor: inngest/function.cancelled", () => {
  const cancelWays: [string, (h: Harness, runId: string, jobId: string) => Promise<unknown>][] = [
    ["the runs page's Cancel button", (h, runId) => fetch(`${h.executor.url}/runs/${runId}/cancel`, { method: "POST", redirect: "manual" })],
    ["POST /v1/runs/:id/cancel", (h, runId) => fetch(`${h.executor.url}/v1/runs/${runId}/cancel`, { method: "POST" })],
    ["DELETE /v1/runs/:id (Inngest's REST API)", (h, runId) => fetch(`${h.executor.url}/v1/runs/${runId}`, { method: "DELETE" })],
    ["a cancelOn event", (h, _runId, jobId) => h.send("test/sleep.cancel", { jobId })],
  ];

  it.each(cancelWays)("is emitted as documented when cancelled by %s", async (_way, cancel) => {
    const { harness, start, heardFor } = await cancellableApp();
    const run = await start();
    await cancel(harness, run.id, String(run.event.data.jobId));
    const event = await heardFor(run.id);

    expect(event.name).toBe("inngest/function.cancelled");
    expect(typeof event.id).toBe("string");
    expect(typeof event.ts).toBe("number");
    // Exactly the documented keys: the error, the run's events, its function and run id.
    expect(Object.keys(event.data).sort()).toEqual(["error", "event", "events", "function_id", "run_id"]);
    expect(event.data).toMatchObject({
      error: { error: "function cancelled", message: "function cancelled", name: "Error" },
      function_id: "offload-test-sleeper",
      run_id: run.id,
      event: { id: run.event.id, name: "test/sleep", data: run.event.data },
      events: [{ id: run.event.id, name: "test/sleep" }],
    });
    expect(harness.runsOf(run.event.id)[0]!.status).toBe("Cancelled");
  });

  it("is emitted once: cancelling a cancelled run again changes nothing", async () => {
    const { harness, start, heardFor } = await cancellableApp();
    const run = await start();
    await fetch(`${harness.executor.url}/v1/runs/${run.id}/cancel`, { method: "POST" });
    await heardFor(run.id);
    await fetch(`${harness.executor.url}/v1/runs/${run.id}/cancel`, { method: "POST" });
    const emitted = harness.executor.store.events.filter((e) => e.name === "inngest/function.cancelled" && e.data.run_id === run.id);
    expect(emitted).toHaveLength(1);
  });
});
