/**
 * Checkpointing, as SDK v4 does it against Inngest by default: inside one call the SDK runs
 * step after step and reports each to `POST /v1/checkpoint/:runId/async`, handing the run
 * back (a 206) only when it must wait (sleep, waitForEvent, a retry, parallel steps) or its
 * `maxRuntime` is up. Written from the SDK's `InngestExecution` engine and Inngest's
 * checkpoint API (apiv1 `CheckpointAsyncSteps`).
 */
import { NonRetriableError } from "inngest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 20_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const discoveries = (calls: string[]) => calls.filter((id) => id === "step").length;

describe("inngest executor: checkpointing", () => {
  it("runs a whole function of serial steps in one call, each step once, memoized in order", async () => {
    h = await createHarness();
    const ran: string[] = [];
    const fn = h.inngest.createFunction({ id: "serial", triggers: { event: "test/serial" } }, async ({ step }) => {
      let total = 0;
      for (const n of [1, 2, 3, 4, 5]) total += await step.run(`add-${n}`, () => (ran.push(`add-${n}`), n));
      return total;
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/serial"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBe(15);
    expect(ran).toEqual(["add-1", "add-2", "add-3", "add-4", "add-5"]);
    expect(h.calls).toEqual(["step"]);
    expect(run.stack).toHaveLength(5);
    expect(run.steps.map((s) => [s.name, s.status, s.output])).toEqual([1, 2, 3, 4, 5].map((n) => [`add-${n}`, "Completed", n]));
    // Timings come from the SDK's own measurement of each step.
    for (const step of run.steps) expect(step.endedAt! - step.startedAt).toBeGreaterThanOrEqual(0);
  });

  it("keeps one call per step when the executor or the function turns checkpointing off", async () => {
    h = await createHarness({ checkpointing: false });
    const body = async ({ step }: { step: { run: (id: string, fn: () => number) => Promise<number> } }) => {
      for (const n of [1, 2, 3]) await step.run(`s${n}`, () => n);
      return "done";
    };
    const fn = h.inngest.createFunction({ id: "classic", triggers: { event: "test/classic" } }, body);
    await h.serve([fn]);
    expect((await h.finished(await h.send("test/classic"))).output).toBe("done");
    // Discovery, then each new step reported (and run inline) one call at a time.
    expect(discoveries(h.calls)).toBe(4);
    await h.close();

    h = await createHarness();
    const off = h.inngest.createFunction({ id: "opted-out", checkpointing: false, triggers: { event: "test/off" } }, body);
    await h.serve([off]);
    expect((await h.finished(await h.send("test/off"))).output).toBe("done");
    expect(discoveries(h.calls)).toBe(4);
  });

  it("hands the run back at a sleep and checkpoints again in the call that resumes it", async () => {
    h = await createHarness();
    const ran: string[] = [];
    const fn = h.inngest.createFunction({ id: "sleepy", triggers: { event: "test/sleepy" } }, async ({ step }) => {
      await step.run("before-1", () => ran.push("before-1"));
      await step.run("before-2", () => ran.push("before-2"));
      await step.sleep("nap", "300ms");
      await step.run("after-1", () => ran.push("after-1"));
      await step.run("after-2", () => ran.push("after-2"));
      return ran.length;
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/sleepy"));
    expect(run.status).toBe("Completed");
    expect(ran).toEqual(["before-1", "before-2", "after-1", "after-2"]);
    expect(h.calls).toEqual(["step", "step"]);
    const nap = run.steps.find((s) => s.name === "nap")!;
    expect(nap.endedAt! - nap.startedAt).toBeGreaterThanOrEqual(250);
  });

  it("retries a failing step one step per call, then resumes checkpointing", async () => {
    h = await createHarness();
    let tries = 0;
    const fn = h.inngest.createFunction({ id: "flaky", retries: 3, triggers: { event: "test/flaky" } }, async ({ step }) => {
      await step.run("first", () => "ok");
      await step.run("flaky", () => {
        if (++tries < 3) throw new Error(`try ${tries}`);
        return tries;
      });
      await step.run("third", () => "ok");
      await step.run("fourth", () => "ok");
      return tries;
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/flaky"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBe(3);
    expect(run.steps.find((s) => s.name === "flaky")).toMatchObject({ status: "Completed", attempts: 3 });
    // The first call checkpoints "first" and reports the error; the retries name the step;
    // once it succeeds, one more call runs the rest.
    const flakyId = run.steps.find((s) => s.name === "flaky")!.id;
    expect(h.calls).toEqual(["step", flakyId, flakyId, "step"]);
  });

  it("holds a concurrency slot for the whole call, so checkpointed runs don't interleave", async () => {
    h = await createHarness();
    const order: string[] = [];
    const fn = h.inngest.createFunction(
      { id: "one-at-a-time", concurrency: 1, triggers: { event: "test/slot" } },
      async ({ event, step }) => {
        for (const n of [1, 2, 3]) {
          await step.run(`s${n}`, async () => {
            order.push(`${String(event.data.who)}${n}`);
            await new Promise((r) => setTimeout(r, 20));
          });
        }
      },
    );
    await h.serve([fn]);
    const [a, b] = [await h.send("test/slot", { who: "a" }), await h.send("test/slot", { who: "b" })];
    await h.finished(a);
    await h.finished(b);
    expect(order).toEqual(["a1", "a2", "a3", "b1", "b2", "b3"]);
  });

  it("stops a cancelled run at its next checkpoint: no further step runs", async () => {
    h = await createHarness();
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const fn = h.inngest.createFunction({ id: "cancellable", triggers: { event: "test/cancel" } }, async ({ step }) => {
      await step.run("one", () => ran.push("one"));
      await step.run("two", async () => {
        ran.push("two");
        entered();
        await gate;
      });
      await step.run("three", () => ran.push("three"));
      await step.run("four", () => ran.push("four"));
    });
    await h.serve([fn]);
    const eventId = await h.send("test/cancel");
    await inside;
    const run = h.runsOf(eventId)[0]!;
    h.executor.executor.cancel(run);
    release();
    // The SDK's checkpoint of "two" is refused (409), so the call ends without "three".
    // Once the call is over the SDK has stopped: a wrongly continued "three" runs inside that call.
    await h.until(
      () => h!.executor.store.runs.get(run.id)?.status === "Cancelled" && h!.executor.executor.callsInFlight(run.id) === 0,
      "the cancel and the end of the run's call",
    );
    expect(h.calls).toHaveLength(1);
    expect(ran).toEqual(["one", "two"]);
  });

  it("hands the run back once maxRuntime is up, and the next call goes on where it stopped", async () => {
    h = await createHarness();
    const ran: number[] = [];
    const fn = h.inngest.createFunction(
      { id: "bounded", checkpointing: { maxRuntime: 150 }, triggers: { event: "test/bounded" } },
      async ({ step }) => {
        for (const n of [1, 2, 3, 4, 5, 6]) {
          await step.run(`s${n}`, async () => {
            ran.push(n);
            await new Promise((r) => setTimeout(r, 60));
          });
        }
        return ran.length;
      },
    );
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/bounded"));
    expect(run.status).toBe("Completed");
    expect(ran).toEqual([1, 2, 3, 4, 5, 6]);
    // ~150 ms of 60 ms steps a call: more than one call, far fewer than one per step.
    expect(discoveries(h.calls)).toBeGreaterThan(1);
    expect(discoveries(h.calls)).toBeLessThan(6);
  });

  it("retries a function error from its checkpoint: the steps already taken don't run again", async () => {
    h = await createHarness();
    const ran: string[] = [];
    const thrown = new Set<string>();
    // retries: 1 = two attempts, yet two errors: each one comes after new progress, and a
    // step that succeeds starts the next call's attempts afresh.
    const fn = h.inngest.createFunction({ id: "throws-after", retries: 1, triggers: { event: "test/throws" } }, async ({ step }) => {
      for (const name of ["a", "b", "c"]) {
        await step.run(name, () => ran.push(name));
        if (name !== "c" && !thrown.has(name)) {
          thrown.add(name);
          throw new Error(`after ${name}`);
        }
      }
      return "recovered";
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/throws"));
    expect(run.error).toBeUndefined();
    expect(run.output).toBe("recovered");
    expect(ran).toEqual(["a", "b", "c"]);
  });

  it("memoizes a NonRetriableError's failure and lets the function catch it", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "catches", triggers: { event: "test/catch" } }, async ({ step }) => {
      await step.run("fine", () => 1);
      const outcome = await step
        .run("doomed", () => {
          throw new NonRetriableError("no");
        })
        .catch((error: Error) => `caught: ${error.message}`);
      await step.run("after", () => 2);
      return outcome;
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/catch"));
    expect(run.output).toBe("caught: no");
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ["fine", "Completed"],
      ["doomed", "Failed"],
      ["after", "Completed"],
    ]);
  });

  it("answers checkpoints for unknown runs 404 and for a stale call 409", async () => {
    h = await createHarness();
    const post = (runId: string, qi: string) =>
      fetch(`${h!.executor.url}/v1/checkpoint/${runId}/async`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ run_id: runId, fn_id: "f", qi_id: qi, steps: [{ id: "x", op: "StepRun", data: 1 }] }),
      });
    expect((await post("01NOPE", "q")).status).toBe(404);
    const fn = h.inngest.createFunction({ id: "quick", triggers: { event: "test/quick" } }, async ({ step }) => step.run("a", () => 1));
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/quick"));
    const stale = await post(run.id, `${run.id}:1`);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: expect.stringContaining("stale") });
    const malformed = await fetch(`${h.executor.url}/v1/checkpoint/${run.id}/async`, { method: "POST", body: "{" });
    expect(malformed.status).toBe(400);
  });
});
