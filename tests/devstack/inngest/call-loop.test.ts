/** The call loop against the real SDK: one test per opcode. */
import http from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startInngest } from "@/devstack/inngest/server";
import { freePort } from "../../support/free-port";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("inngest executor: the call loop", () => {
  it("runs step.run steps in order and completes with the return value", async () => {
    h = await createHarness();
    const calls: string[] = [];
    const fn = h.inngest.createFunction({ id: "serial", triggers: { event: "test/serial" } }, async ({ event, step }) => {
      const a = await step.run("a", () => (calls.push("a"), 1));
      const b = await step.run("b", () => (calls.push("b"), a + 1));
      return { sum: a + b, input: event.data.x };
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/serial", { x: 7 }));
    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ sum: 3, input: 7 });
    expect(calls).toEqual(["a", "b"]);
    expect(run.steps.map((s) => [s.name, s.status, s.output])).toEqual([
      ["a", "Completed", 1],
      ["b", "Completed", 2],
    ]);
  });

  it("runs parallel steps concurrently, each once, and resumes after all of them", async () => {
    h = await createHarness();
    const spans: Record<string, { start: number; end: number }> = {};
    const calls: string[] = [];
    const work = (name: string) => async () => {
      calls.push(name);
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 150));
      spans[name] = { start, end: Date.now() };
      return name;
    };
    const fn = h.inngest.createFunction({ id: "parallel", triggers: { event: "test/parallel" } }, async ({ step }) => {
      const both = await Promise.all([step.run("left", work("left")), step.run("right", work("right"))]);
      const after = await step.run("after", () => (calls.push("after"), both.join("+")));
      return after;
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/parallel"));
    expect(run.output).toBe("left+right");
    expect(calls.sort()).toEqual(["after", "left", "right"]);
    // They overlapped: each started before the other ended.
    expect(spans.left!.start).toBeLessThan(spans.right!.end);
    expect(spans.right!.start).toBeLessThan(spans.left!.end);
  });

  it("sleeps (step.sleep) and then resumes", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "sleeper", triggers: { event: "test/sleep" } }, async ({ step }) => {
      const before = await step.run("before", () => Date.now());
      await step.sleep("nap", "1s");
      const after = await step.run("after", () => Date.now());
      return after - before;
    });
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/sleep"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBeGreaterThanOrEqual(1000);
    const nap = run.steps.find((s) => s.name === "nap");
    expect(nap).toMatchObject({ op: "Sleep", status: "Completed" });
  });

  it("sleeps until a date (step.sleepUntil)", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "sleep-until", triggers: { event: "test/sleep-until" } }, async ({ event, step }) => {
      await step.sleepUntil("until", new Date(event.data.at as number));
      return step.run("woke", () => Date.now());
    });
    await h.serve([fn]);
    const at = Date.now() + 1200;
    const run = await h.finished(await h.send("test/sleep-until", { at }));
    expect(run.output).toBeGreaterThanOrEqual(at);
  });

  it("waits for a matching event (step.waitForEvent with match), ignoring others", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "approval", triggers: { event: "test/requested" } }, async ({ step }) => {
      const approved = await step.waitForEvent("approved", { event: "test/approved", match: "data.requestId", timeout: "10s" });
      return approved ? approved.data : "timed out";
    });
    await h.serve([fn]);
    const eventId = await h.send("test/requested", { requestId: "r1" });
    await h.until(() => h!.runsOf(eventId)[0]?.steps.some((s) => s.op === "WaitForEvent"), "the wait to start");
    await h.send("test/approved", { requestId: "other", by: "mallory" });
    await h.send("test/approved", { requestId: "r1", by: "alice" });
    const run = await h.finished(eventId);
    expect(run.output).toEqual({ requestId: "r1", by: "alice" });
  });

  it("resumes a wait with null when it times out", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "impatient", triggers: { event: "test/impatient" } }, async ({ step }) => {
      const reply = await step.waitForEvent("reply", { event: "test/reply", if: "async.data.ok == true", timeout: "1s" });
      return reply === null ? "timed out" : "replied";
    });
    await h.serve([fn]);
    const eventId = await h.send("test/impatient");
    await h.send("test/reply", { ok: false });
    const run = await h.finished(eventId);
    expect(run.output).toBe("timed out");
  });

  it("invokes another function (step.invoke) and gets its result or its error", async () => {
    h = await createHarness();
    const double = h.inngest.createFunction({ id: "double", triggers: { event: "test/never" } }, async ({ event }) => {
      if (event.data.n === 0) throw new Error("zero is not allowed");
      return (event.data.n as number) * 2;
    });
    const fails = h.inngest.createFunction({ id: "double-fails", retries: 0, triggers: { event: "test/never" } }, async () => {
      throw new Error("child broke");
    });
    const parent = h.inngest.createFunction({ id: "parent", triggers: { event: "test/invoke" } }, async ({ step }) => {
      const doubled = await step.invoke("double-it", { function: double, data: { n: 21 } });
      const failure = await step.invoke("fail-it", { function: fails, data: {} }).catch((error: Error) => error.message);
      return { doubled, failure };
    });
    await h.serve([double, fails, parent]);
    const run = await h.finished(await h.send("test/invoke"), "offload-test-parent");
    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ doubled: 42, failure: expect.stringContaining("child broke") });
  });

  it("fails the run loudly on an opcode it does not know", async () => {
    const fake = await fakeApp([{ id: "abc", op: "Teleport", name: "beam-me-up" }]);
    const executor = await startInngest({ appUrls: [fake.url], port: await freePort(), log: () => {} });
    try {
      await executor.sync();
      const [eventId] = executor.executor.send([{ name: "test/fake" }]);
      const run = await vi.waitFor(
        () => {
          const ended = [...executor.store.runs.values()].find((r) => r.event.id === eventId && r.endedAt);
          expect(ended, "the run to end").toBeDefined();
          return ended!;
        },
        { timeout: 5_000 },
      );
      expect(run.status).toBe("Failed");
      expect(run.error?.message).toMatch(/opcode "Teleport".*does not implement/);
      expect(fake.calls).toBe(1);
    } finally {
      await executor.close();
      await fake.close();
    }
  });
});

/** An "app" that syncs one function and answers every call with the given ops. */
async function fakeApp(ops: unknown[]) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/inngest`;
  const state = { calls: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === "PUT") {
      res.setHeader("x-inngest-sync-kind", "in_band");
      res.setHeader("content-type", "application/json");
      const fn = {
        id: "fake-fn",
        name: "fake",
        triggers: [{ event: "test/fake" }],
        steps: { step: { id: "step", name: "step", runtime: { type: "http", url: `${url}?fnId=fake-fn&stepId=step` } } },
      };
      res.end(JSON.stringify({ app_id: "fake", url, functions: [fn], sdk: "js:v4.24.0" }));
      return;
    }
    state.calls++;
    res.writeHead(206, { "content-type": "application/json", "x-inngest-req-version": "2" });
    res.end(JSON.stringify(ops));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url,
    get calls() {
      return state.calls;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
