/** Retries, failure handling and surviving an app restart, against the real SDK. */
import { NonRetriableError, RetryAfterError } from "inngest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("inngest executor: retries and failures", () => {
  it("retries a failing step with backoff until it succeeds", async () => {
    h = await createHarness();
    let attempts = 0;
    const fn = h.inngest.createFunction({ id: "flaky", retries: 3, triggers: { event: "test/flaky" } }, async ({ step }) => {
      return step.run("flaky-step", () => {
        attempts++;
        if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
        return "ok";
      });
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/flaky"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBe("ok");
    expect(attempts).toBe(3);
    expect(run.steps.find((s) => s.name === "flaky-step")).toMatchObject({ status: "Completed", attempts: 3 });
  });

  it("does not retry a NonRetriableError", async () => {
    h = await createHarness();
    let attempts = 0;
    const fn = h.inngest.createFunction({ id: "doomed", retries: 3, triggers: { event: "test/doomed" } }, async ({ step }) => {
      await step.run("doomed-step", () => {
        attempts++;
        throw new NonRetriableError("bad input");
      });
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/doomed"));
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toContain("bad input");
    expect(attempts).toBe(1);
  });

  it("fails after the last attempt of a function-level error (retries: 1 → 2 attempts)", async () => {
    h = await createHarness();
    let attempts = 0;
    const fn = h.inngest.createFunction({ id: "throws", retries: 1, triggers: { event: "test/throws" } }, async () => {
      attempts++;
      throw new Error("always");
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/throws"));
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toBe("always");
    expect(attempts).toBe(2);
  });

  it("honours RetryAfterError's delay over the (10 ms) backoff", async () => {
    h = await createHarness();
    const times: number[] = [];
    const fn = h.inngest.createFunction({ id: "later", retries: 2, triggers: { event: "test/later" } }, async ({ step }) => {
      return step.run("rate-limited", () => {
        times.push(Date.now());
        if (times.length === 1) throw new RetryAfterError("upstream said later", 1_000);
        return "done";
      });
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/later"));
    expect(run.output).toBe("done");
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it("lets user code catch a step error once its retries are exhausted", async () => {
    h = await createHarness();
    let attempts = 0;
    const fn = h.inngest.createFunction({ id: "catcher", retries: 1, triggers: { event: "test/catch" } }, async ({ step }) => {
      try {
        await step.run("always-fails", () => {
          attempts++;
          throw new Error("nope");
        });
        return "unreachable";
      } catch (error) {
        return step.run("recover", () => `recovered from: ${(error as Error).message}`);
      }
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/catch"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBe("recovered from: nope");
    expect(attempts).toBe(2);
    expect(run.steps.find((s) => s.name === "always-fails")).toMatchObject({ status: "Failed", attempts: 2 });
  });

  it("calls onFailure with the error and the original event, and emits function.failed/finished", async () => {
    h = await createHarness();
    const failures: { message: string; original: unknown }[] = [];
    const fn = h.inngest.createFunction(
      {
        id: "breaks",
        retries: 0,
        triggers: { event: "test/breaks" },
        onFailure: async ({ error, event }) => {
          failures.push({ message: error.message, original: event.data.event.data });
        },
      },
      async () => {
        throw new Error("kaput");
      },
    );
    await h.serve([fn]);
    const eventId = await h.send("test/breaks", { jobId: "j1" });
    const run = await h.finished(eventId);
    expect(run.status).toBe("Failed");
    await h.until(() => failures.length > 0, "onFailure to run");
    expect(failures).toEqual([{ message: "kaput", original: { jobId: "j1" } }]);
    const names = h.executor.store.events.filter((e) => e.data.run_id === run.id).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(["inngest/function.failed", "inngest/function.finished"]));
  });

  it("survives an app restart mid-run: keeps retrying without spending attempts, runs each step once", async () => {
    h = await createHarness();
    const calls = { before: 0, after: 0 };
    const fn = h.inngest.createFunction({ id: "restart", retries: 0, triggers: { event: "test/restart" } }, async ({ step }) => {
      await step.run("before", () => calls.before++);
      await step.sleep("pause", "1s");
      await step.run("after", () => calls.after++);
      return "survived";
    });
    await h.serve([fn]);
    const eventId = await h.send("test/restart");
    await h.until(() => h!.runsOf(eventId)[0]?.steps.some((s) => s.name === "pause"), "the sleep to start");
    await h.stopApp();
    // The sleep ends while the app is down: the executor must wait for it, not fail the run.
    await h.until(() => h!.runsOf(eventId)[0]?.note?.startsWith("waiting for the app"), "the executor to notice the app is down");
    await h.startApp();
    const run = await h.finished(eventId);
    expect(run.status).toBe("Completed");
    expect(run.output).toBe("survived");
    expect(calls).toEqual({ before: 1, after: 1 });
  });
});
