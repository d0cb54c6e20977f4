/**
 * `singleton` and `timeouts`, against the real SDK, as Inngest documents them:
 * - singleton: at most one run per function (and key) at a time; "skip" drops the new
 *   event's run, "cancel" cancels the running one (emitting `inngest/function.cancelled`)
 *   and starts the new one.
 * - timeouts.start: a run that hasn't started (its first call) within `start` of being
 *   queued is cancelled; timeouts.finish: a run that hasn't ended within `finish` of its
 *   start is cancelled. Both end the run Cancelled and emit `inngest/function.cancelled`.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 20_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const cancelledEventFor = (runId: string) =>
  h!.executor.store.events.find((e) => e.name === "inngest/function.cancelled" && e.data.run_id === runId);

/** A function that stays running until a `test/release` event with its job id arrives. */
function waiter(harness: Harness, id: string, singleton: { key?: string; mode: "skip" | "cancel" }) {
  return harness.inngest.createFunction({ id, singleton, triggers: { event: `test/${id}` } }, async ({ event, step }) => {
    const released = await step.waitForEvent("release", { event: "test/release", timeout: "1m", if: `async.data.job == "${String(event.data.job)}"` });
    return released ? `released ${String(event.data.job)}` : "timed out";
  });
}

describe("inngest executor: singleton", () => {
  it("skip: an event that arrives while a run is active starts nothing; once it ends, the next one runs", async () => {
    h = await createHarness();
    await h.serve([waiter(h, "solo", { mode: "skip" })]);
    const first = await h.send("test/solo", { job: "1" });
    await h.until(() => h!.runsOf(first)[0]?.steps.some((s) => s.name === "release"), "the first run to wait");
    const skipped = await h.send("test/solo", { job: "2" });
    expect(h.runsOf(skipped)).toHaveLength(0);
    expect(h.logs).toContainEqual(expect.stringMatching(new RegExp(`offload-test-solo: event ${skipped} .*skipped: singleton`)));
    expect(h.runsOf(first)[0]!.status).toBe("Running");

    await h.send("test/release", { job: "1" });
    expect((await h.finished(first)).output).toBe("released 1");
    const next = await h.send("test/solo", { job: "3" });
    await h.until(() => h!.runsOf(next)[0]?.status === "Running", "the next run to start");
  });

  it("skip with a key: one run per key, other keys run alongside", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "per-user", singleton: { key: "event.data.user", mode: "skip" }, triggers: { event: "test/per-user" } },
      async ({ step }) => step.sleep("hold", "1m"),
    );
    await h.serve([fn]);
    const a1 = await h.send("test/per-user", { user: "a" });
    const b1 = await h.send("test/per-user", { user: "b" });
    const a2 = await h.send("test/per-user", { user: "a" });
    await h.until(() => h!.runsOf(b1)[0]?.steps.some((s) => s.name === "hold"), "b's run to sleep");
    expect(h.runsOf(a1)).toHaveLength(1);
    expect(h.runsOf(a2)).toHaveLength(0);
  });

  it("cancel: the active run is cancelled (with inngest/function.cancelled) and the new one starts", async () => {
    h = await createHarness();
    await h.serve([waiter(h, "latest", { mode: "cancel" })]);
    const first = await h.send("test/latest", { job: "1" });
    await h.until(() => h!.runsOf(first)[0]?.steps.some((s) => s.name === "release"), "the first run to wait");
    const second = await h.send("test/latest", { job: "2" });
    const cancelled = await h.finished(first);
    expect(cancelled.status).toBe("Cancelled");
    await h.until(() => cancelledEventFor(cancelled.id), "inngest/function.cancelled for the first run");
    await h.until(() => h!.runsOf(second)[0]?.steps.some((s) => s.name === "release"), "the second run to wait");
    await h.send("test/release", { job: "2" });
    expect((await h.finished(second)).output).toBe("released 2");
  });
});

describe("inngest executor: timeouts", () => {
  it("start: a run still throttled when the start timeout passes is cancelled, with inngest/function.cancelled", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "impatient", throttle: { limit: 1, period: "1m" }, timeouts: { start: "0.5s" }, triggers: { event: "test/impatient" } },
      async () => "ran",
    );
    await h.serve([fn]);
    const first = await h.send("test/impatient");
    const second = await h.send("test/impatient");
    expect((await h.finished(first)).status).toBe("Completed");
    const queuedAt = h.runsOf(second)[0]!.queuedAt;
    const run = await h.finished(second);
    expect(run.status).toBe("Cancelled");
    expect(run.error?.message).toMatch(/timeouts\.start/);
    expect(run.endedAt! - queuedAt).toBeGreaterThanOrEqual(450);
    expect(run.endedAt! - queuedAt).toBeLessThan(5_000);
    expect(run.steps).toHaveLength(0); // it never called the app
    await h.until(() => cancelledEventFor(run.id), "inngest/function.cancelled");
  });

  it("start: counts the wait for a concurrency slot, and a run that started in time is not cancelled later", async () => {
    h = await createHarness();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    let holding = false;
    const fn = h.inngest.createFunction(
      { id: "one-at-a-time", concurrency: 1, timeouts: { start: "0.6s" }, triggers: { event: "test/one-at-a-time" } },
      async ({ event, step }) => {
        calls++;
        if (event.data.hold) {
          await step.run("hold", () => {
            holding = true;
            return gate;
          });
        }
        await step.sleep("outlive-the-start-timeout", "1s");
        return "done";
      },
    );
    await h.serve([fn]);
    const holder = await h.send("test/one-at-a-time", { hold: true });
    await h.until(() => holding, "the holder's step to hold the only slot");
    const waiting = await h.send("test/one-at-a-time", {});
    const run = await h.finished(waiting);
    expect(run.status).toBe("Cancelled");
    expect(run.error?.message).toMatch(/timeouts\.start/);
    const callsBeforeRelease = calls;
    release();
    // The holder started long ago and sleeps past its start timeout: it must still finish.
    const done = await h.finished(holder);
    expect(done.status).toBe("Completed");
    expect(callsBeforeRelease).toBe(1); // the cancelled run never reached the app
  });

  it("finish: a run still going when the finish timeout passes is cancelled, with inngest/function.cancelled", async () => {
    h = await createHarness();
    let afterSleep = 0;
    const fn = h.inngest.createFunction(
      { id: "bounded", timeouts: { finish: "0.8s" }, triggers: { event: "test/bounded" } },
      async ({ step }) => {
        await step.sleep("too-long", "10s");
        afterSleep++;
      },
    );
    await h.serve([fn]);
    const eventId = await h.send("test/bounded");
    const run = await h.finished(eventId);
    expect(run.status).toBe("Cancelled");
    expect(run.error?.message).toMatch(/timeouts\.finish/);
    const took = run.endedAt! - run.calledAt!;
    expect(took).toBeGreaterThanOrEqual(750);
    expect(took).toBeLessThan(5_000);
    expect(afterSleep).toBe(0);
    await h.until(() => cancelledEventFor(run.id), "inngest/function.cancelled");
  });

  it("finish: a run that ends in time completes normally", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "quick", timeouts: { finish: "0.5s", start: "0.5s" }, triggers: { event: "test/quick" } },
      async ({ event, step }) => {
        if (event.data.linger) await step.sleep("linger", "10s");
        return step.run("fast", () => "fast");
      },
    );
    await h.serve([fn]);
    const eventId = await h.send("test/quick");
    const run = await h.finished(eventId);
    expect(run.status).toBe("Completed");
    const { endedAt } = run;
    // Its timers died with it: nothing cancels it afterwards. A later run that lingers is
    // cancelled by its own finish timeout, which falls after every deadline of the first run.
    const marker = await h.finished(await h.send("test/quick", { linger: true }));
    expect(marker.status).toBe("Cancelled");
    expect(h.runsOf(eventId)[0]).toMatchObject({ status: "Completed", endedAt });
    expect(cancelledEventFor(run.id)).toBeUndefined();
  });
});
