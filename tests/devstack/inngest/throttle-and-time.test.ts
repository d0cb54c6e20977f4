/**
 * Throttle as Inngest's GCRA, events with a future `ts`, and sleeps that are already over,
 * against the real SDK. From the docs: a throttle starts `limit + burst` runs at once, then
 * one every `period / limit`, FIFO, dropping nothing; "sending events with a future
 * timestamp delays the run"; a sleep of zero (or a date in the past) doesn't wait.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Run } from "@/devstack/inngest/store";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 20_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Sends `count` events in one batch (one arrival time, a defined order) and waits for every run. */
async function sendAndFinish(harness: Harness, name: string, count: number) {
  const { ids } = await harness.inngest.send(Array.from({ length: count }, (_, i) => ({ name, data: { i } })));
  const runs: Run[] = [];
  for (const id of ids) runs.push(await harness.finished(id, undefined, 15_000));
  return runs;
}

/** When each run started, relative to when the batch arrived, in send order. */
const offsets = (runs: Run[]) => runs.map((run) => run.startedAt! - runs[0]!.queuedAt);

describe("inngest executor: throttle (GCRA)", () => {
  it("starts `limit` runs at once, then one every period/limit, FIFO, and drops none", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "paced", throttle: { limit: 2, period: "1.2s" }, triggers: { event: "test/paced" } }, async () => "ok");
    await h.serve([fn]);
    const runs = await sendAndFinish(h, "test/paced", 5);
    expect(runs.map((r) => r.status)).toEqual(Array(5).fill("Completed"));
    const at = offsets(runs);
    // Emission interval 600 ms: ~0, ~0, 600, 1200, 1800.
    expect(at[0]).toBeLessThan(300);
    expect(at[1]).toBeLessThan(300);
    for (const i of [2, 3, 4]) {
      expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(550);
      expect(at[i]).toBeGreaterThanOrEqual(600 * (i - 1) - 50);
      expect(at[i]).toBeLessThan(600 * (i - 1) + 500);
    }
  });

  it("burst lets that many more start at once; the rest are spaced evenly", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "bursty", throttle: { limit: 1, period: "0.6s", burst: 2 }, triggers: { event: "test/bursty" } },
      async () => "ok",
    );
    await h.serve([fn]);
    const runs = await sendAndFinish(h, "test/bursty", 5);
    const at = offsets(runs);
    // limit + burst = 3 at once, then every 600 ms.
    expect(at[2]).toBeLessThan(300);
    expect(at[3]).toBeGreaterThanOrEqual(550);
    expect(at[3]).toBeLessThan(1_100);
    expect(at[4]! - at[3]!).toBeGreaterThanOrEqual(550);
  });

  it("throttles each key on its own and says on the run why it waits", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "per-key", throttle: { limit: 1, period: "1m", key: "event.data.user" }, triggers: { event: "test/per-key" } },
      async () => "ok",
    );
    await h.serve([fn]);
    const a1 = await h.send("test/per-key", { user: "a" });
    const a2 = await h.send("test/per-key", { user: "a" });
    const b1 = await h.send("test/per-key", { user: "b" });
    await h.finished(a1);
    await h.finished(b1);
    const delayed = h.runsOf(a2)[0]!;
    expect(delayed.status).toBe("Queued");
    expect(delayed.note).toMatch(/^throttled until /);
  });
});

describe("inngest executor: event ts in the future", () => {
  it("schedules the run to start at the event's ts, and the run says when", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "later", triggers: { event: "test/later" } }, async () => "ran");
    await h.serve([fn]);
    const ts = Date.now() + 800;
    const { ids } = await h.inngest.send({ name: "test/later", data: {}, ts });
    const queued = h.runsOf(ids[0]!)[0]!;
    expect(queued.status).toBe("Queued");
    expect(queued.note).toBe(`scheduled: starts at ${new Date(ts).toISOString()} (the event's ts)`);
    const run = await h.finished(ids[0]!);
    expect(run.status).toBe("Completed");
    expect(run.startedAt!).toBeGreaterThanOrEqual(ts);
    expect(run.startedAt!).toBeLessThan(ts + 1_000);
  });

  it("starts a run at once for a ts in the past", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "backdated", triggers: { event: "test/backdated" } }, async () => "ran");
    await h.serve([fn]);
    const sentAt = Date.now();
    const { ids } = await h.inngest.send({ name: "test/backdated", data: {}, ts: sentAt - 60_000 });
    const run = await h.finished(ids[0]!);
    expect(run.startedAt! - sentAt).toBeLessThan(500);
  });
});

describe("inngest executor: sleeps that are already over", () => {
  it("step.sleep of 0, '0s' or a negative time and sleepUntil a past date don't wait: the run goes on", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "no-wait", triggers: { event: "test/no-wait" } }, async ({ step }) => {
      await step.sleep("zero", 0);
      await step.sleep("zero-string", "0s");
      await step.sleep("negative", -1_000);
      await step.sleepUntil("past", new Date(Date.now() - 60_000));
      return step.run("after", () => "went on");
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/no-wait"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBe("went on");
    expect(run.endedAt! - run.startedAt!).toBeLessThan(1_000);
    for (const name of ["zero", "zero-string", "negative", "past"]) {
      expect(run.steps.find((s) => s.name === name)).toMatchObject({ status: "Completed" });
    }
  });
});
