/**
 * `debounce` and `batchEvents` against the real SDK, as Inngest documents them (the
 * Debounce and Batching guides) and as its server behaves where the guides are silent.
 * Inngest's smallest debounce period and batch timeout are 1 s, so the tests use 1–2 s.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, tempDataDir, type Harness } from "./harness";

vi.setConfig({ testTimeout: 20_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const fnId = (id: string) => `offload-test-${id}`;
const runsOf = (id: string) => [...h!.executor.store.runs.values()].filter((run) => run.functionId === fnId(id));
const receivedAt = (eventId: string) => h!.executor.store.events.find((e) => e.id === eventId)!.receivedAt;
/** Waits until the function has exactly `count` finished runs, and returns them oldest first. */
const finishedRuns = (id: string, count: number, timeoutMs?: number) =>
  h!.until(() => {
    const runs = runsOf(id);
    return runs.length >= count && runs.every((run) => run.endedAt !== undefined) && runs;
  }, `${count} finished run(s) of ${id}`, timeoutMs);
/** What the function saw: its `event` and `events` as the SDK handed them over. */
const seen = async ({ event, events }: { event: { id?: string }; events: { id?: string }[] }) => ({
  event: event.id,
  events: events.map((e) => e.id),
});

describe("inngest executor: debounce", () => {
  it("runs once for a burst, with the last event, a period after it", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "settle", triggers: { event: "test/edit" }, debounce: { period: "1s" } }, seen);
    await h.serve([fn]);
    const first = await h.send("test/edit", { n: 1 });
    const second = await h.send("test/edit", { n: 2 });
    const third = await h.send("test/edit", { n: 3 });
    const [run] = await finishedRuns("settle", 1);
    expect(run!.event.id).toBe(third);
    expect(run!.output).toEqual({ event: third, events: [third] });
    expect(run!.queuedAt - receivedAt(third)).toBeGreaterThanOrEqual(950);
    expect(h.runsOf(first).concat(h.runsOf(second))).toHaveLength(0);

    // The burst is over: a later event opens a new debounce and a second run, and no
    // extra run of the first burst appeared meanwhile.
    const later = await h.send("test/edit", { n: 4 });
    const runs = await finishedRuns("settle", 2);
    expect(runs.map((r) => r.event.id)).toEqual([third, later]);
  });

  it("debounces each key separately", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "per-account", triggers: { event: "test/account.updated" }, debounce: { period: "1s", key: "event.data.accountId" } },
      seen,
    );
    await h.serve([fn]);
    await h.send("test/account.updated", { accountId: "a", v: 1 });
    const b = await h.send("test/account.updated", { accountId: "b", v: 1 });
    const a2 = await h.send("test/account.updated", { accountId: "a", v: 2 });
    const runs = await finishedRuns("per-account", 2);
    expect(runs.map((r) => r.event.id).sort()).toEqual([a2, b].sort());
    expect(runs.map((r) => r.event.data.accountId).sort()).toEqual(["a", "b"]);
  });

  it("runs at the timeout with the latest event when events keep coming", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "stream", triggers: { event: "test/tick" }, debounce: { period: "1s", timeout: "2s" } },
      seen,
    );
    await h.serve([fn]);
    const sent: string[] = [];
    // One event every 300 ms for ~3.3 s: the quiet period never passes while they come.
    for (let i = 0; i < 12; i++) {
      sent.push(await h.send("test/tick", { i }));
      await new Promise((r) => setTimeout(r, 300));
    }
    const [forced, last] = await finishedRuns("stream", 2);
    const first = receivedAt(sent[0]!);
    // Started by the timeout (2 s after the first event), long before the stream stopped…
    expect(forced!.queuedAt - first).toBeGreaterThanOrEqual(1_950);
    expect(forced!.queuedAt - first).toBeLessThan(3_000);
    // …with the latest event received by then.
    const before = sent.filter((id) => receivedAt(id) <= forced!.queuedAt);
    expect(forced!.event.id).toBe(before.at(-1));
    // Events after it opened a new debounce, which ran with the very last one.
    expect(last!.event.id).toBe(sent.at(-1));
    expect(runsOf("stream")).toHaveLength(2);
  });

  it("opens a new debounce for events that arrive while the debounced run executes", async () => {
    h = await createHarness();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const fn = h.inngest.createFunction({ id: "busy", triggers: { event: "test/busy" }, debounce: { period: "1s" } }, async ({ event, step }) => {
      if (event.data.hold) {
        await step.run("hold", () => {
          holding = true;
          return gate;
        });
      }
      return event.id;
    });
    await h.serve([fn]);
    const held = await h.send("test/busy", { hold: true });
    await h.until(() => holding, "the first run to be executing");
    const next = await h.send("test/busy", { hold: false });
    const second = await h.finished(next);
    expect(second.output).toBe(next);
    expect(second.queuedAt - receivedAt(next)).toBeGreaterThanOrEqual(950); // debounced too
    expect(h.runsOf(held)[0]!.endedAt).toBeUndefined(); // the first run was still executing
    release();
    expect((await h.finished(held)).output).toBe(held);
    expect(runsOf("busy")).toHaveLength(2);
  });

  it("keeps the newest event by timestamp: an older event arriving late changes nothing", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "ordered", triggers: { event: "test/ordered" }, debounce: { period: "1s" } }, seen);
    await h.serve([fn]);
    const now = Date.now();
    const { ids: [newer] } = await h.inngest.send({ name: "test/ordered", data: {}, ts: now });
    await h.inngest.send({ name: "test/ordered", data: {}, ts: now - 60_000 });
    const [run] = await finishedRuns("ordered", 1);
    expect(run!.event.id).toBe(newer);
    expect(run!.queuedAt - receivedAt(newer!)).toBeGreaterThanOrEqual(950);
    expect(runsOf("ordered")).toHaveLength(1);
  });

  it("checks idempotency per incoming event, before debouncing", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "idem", triggers: { event: "test/idem" }, idempotency: "event.data.orderId", debounce: { period: "1s" } },
      seen,
    );
    await h.serve([fn]);
    const kept = await h.send("test/idem", { orderId: "o1" });
    await h.send("test/idem", { orderId: "o1" }); // dropped by idempotency: doesn't win the debounce
    const [run] = await finishedRuns("idem", 1);
    expect(run!.event.id).toBe(kept);
    expect(run!.queuedAt - receivedAt(kept)).toBeGreaterThanOrEqual(950);
    expect(h.logs.some((line) => line.includes("skipped: idempotency key"))).toBe(true);
  });

  it("keeps a pending debounce across an executor restart, started once the app is back", async () => {
    h = await createHarness({ dataDir: await tempDataDir() });
    const fn = h.inngest.createFunction({ id: "durable-debounce", triggers: { event: "test/durable" }, debounce: { period: "1s" } }, seen);
    await h.serve([fn]);
    await h.send("test/durable", { n: 1 });
    const last = await h.send("test/durable", { n: 2 });
    // Down through the due time, app included: the debounce waits for the app to sync.
    await h.stopApp();
    await h.restartExecutor();
    const [pending] = [...h.executor.store.debounces.values()];
    expect(pending?.event.id).toBe(last);
    // It fell due while the app was away and was put off rather than started or dropped.
    const dueAt = pending!.dueAt;
    await h.until(() => h!.executor.store.debounces.get(pending!.bucket)!.dueAt > dueAt, "the due debounce to be put off");
    expect(runsOf("durable-debounce")).toHaveLength(0);
    await h.startApp();
    const [run] = await finishedRuns("durable-debounce", 1);
    expect(run!.output).toEqual({ event: last, events: [last] });
  });

  it("refuses the sync, as Inngest does, for a period under 1s", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "too-quick", triggers: { event: "test/q" }, debounce: { period: "0s" } }, seen);
    await expect(h.serve([fn])).rejects.toThrow(/debounce period of "0s" is less than the min of 1s/);
    expect(h.executor.registry.functions.has(fnId("too-quick"))).toBe(false);
  });
});

describe("inngest executor: batchEvents", () => {
  it("starts one run as soon as maxSize events arrived: event is the first, events the batch in order", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "bulk", triggers: { event: "test/log" }, batchEvents: { maxSize: 3, timeout: "10s" } },
      seen,
    );
    await h.serve([fn]);
    const ids = [await h.send("test/log", { n: 1 }), await h.send("test/log", { n: 2 }), await h.send("test/log", { n: 3 })];
    const [run] = await finishedRuns("bulk", 1, 5_000); // well before the 10 s timeout
    expect(run!.output).toEqual({ event: ids[0], events: ids });
    expect(run!.events.map((e) => e.data.n)).toEqual([1, 2, 3]);
    expect(h.runsOf(ids[0]!)).toHaveLength(1);
  });

  it("starts a partial batch at the timeout, and a batch of one still gets an events array", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "partial", triggers: { event: "test/partial" }, batchEvents: { maxSize: 10, timeout: "1s" } },
      seen,
    );
    await h.serve([fn]);
    const a = await h.send("test/partial");
    const b = await h.send("test/partial");
    const [pair] = await finishedRuns("partial", 1);
    expect(pair!.output).toEqual({ event: a, events: [a, b] });
    expect(pair!.queuedAt - receivedAt(a)).toBeGreaterThanOrEqual(950);

    const alone = await h.send("test/partial");
    const [, single] = await finishedRuns("partial", 2);
    expect(single!.output).toEqual({ event: alone, events: [alone] });
  });

  it("starts a new batch after a full one", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "pairs", triggers: { event: "test/pair" }, batchEvents: { maxSize: 2, timeout: "1s" } },
      seen,
    );
    await h.serve([fn]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await h.send("test/pair", { i }));
    const runs = await finishedRuns("pairs", 3);
    expect(runs.map((r) => (r.output as { events: string[] }).events)).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  });

  it("batches each key separately", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "per-user", triggers: { event: "test/click" }, batchEvents: { maxSize: 2, timeout: "1s", key: "event.data.userId" } },
      seen,
    );
    await h.serve([fn]);
    const u1a = await h.send("test/click", { userId: "u1" });
    const u2a = await h.send("test/click", { userId: "u2" });
    const u1b = await h.send("test/click", { userId: "u1" });
    const runs = await finishedRuns("per-user", 2);
    expect(runs.map((r) => (r.output as { events: string[] }).events)).toEqual([[u1a, u1b], [u2a]]);
  });

  it("runs events that don't match `if` at once, one run each, outside any batch", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      {
        id: "conditional",
        triggers: { event: "test/job" },
        batchEvents: { maxSize: 2, timeout: "5s", if: 'event.data.kind == "bulk"' },
      },
      seen,
    );
    await h.serve([fn]);
    const bulk1 = await h.send("test/job", { kind: "bulk" });
    const single = await h.send("test/job", { kind: "urgent" });
    const unbatched = await h.finished(single);
    expect(unbatched.output).toEqual({ event: single, events: [single] });
    expect(h.runsOf(bulk1)).toHaveLength(0); // still collecting
    const bulk2 = await h.send("test/job", { kind: "bulk" });
    const batched = await h.finished(bulk1);
    expect(batched.output).toEqual({ event: bulk1, events: [bulk1, bulk2] });
  });

  it("doesn't apply rateLimit to batched events, as on Inngest, and says so at sync", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      {
        id: "limited-batch",
        triggers: { event: "test/limited" },
        rateLimit: { limit: 1, period: "1m" },
        batchEvents: { maxSize: 3, timeout: "5s" },
      },
      seen,
    );
    await h.serve([fn]);
    const ids = [await h.send("test/limited"), await h.send("test/limited"), await h.send("test/limited")];
    const [run] = await finishedRuns("limited-batch", 1);
    expect(run!.output).toEqual({ event: ids[0], events: ids });
    expect(h.logs.some((line) => line.includes('"rateLimit" does not apply to batched events'))).toBe(true);
  });

  it("keeps a collecting batch across an executor restart", async () => {
    h = await createHarness({ dataDir: await tempDataDir() });
    const fn = h.inngest.createFunction(
      { id: "durable-batch", triggers: { event: "test/durable-batch" }, batchEvents: { maxSize: 3, timeout: "10s" } },
      seen,
    );
    await h.serve([fn]);
    const a = await h.send("test/durable-batch");
    const b = await h.send("test/durable-batch");
    await h.restartExecutor();
    await h.executor.sync();
    const c = await h.send("test/durable-batch"); // fills the batch begun before the restart
    const [run] = await finishedRuns("durable-batch", 1, 5_000);
    expect(run!.output).toEqual({ event: a, events: [a, b, c] });
  });

  it("refuses the sync for combinations and values Inngest refuses", async () => {
    h = await createHarness();
    const cancellable = h.inngest.createFunction(
      { id: "batch-cancel", triggers: { event: "test/x" }, batchEvents: { maxSize: 5, timeout: "5s" }, cancelOn: [{ event: "test/stop" }] },
      seen,
    );
    const debounced = h.inngest.createFunction(
      { id: "batch-debounce", triggers: { event: "test/x" }, batchEvents: { maxSize: 5, timeout: "5s" }, debounce: { period: "5s" } },
      seen,
    );
    const tooSmall = h.inngest.createFunction({ id: "batch-one", triggers: { event: "test/x" }, batchEvents: { maxSize: 1, timeout: "5s" } }, seen);
    const tooQuick = h.inngest.createFunction({ id: "batch-quick", triggers: { event: "test/x" }, batchEvents: { maxSize: 5, timeout: "0s" } }, seen);
    const fine = h.inngest.createFunction({ id: "fine", triggers: { event: "test/x" } }, seen);
    const error = await h.serve([cancellable, debounced, tooSmall, tooQuick, fine]).then(
      () => undefined,
      (e: unknown) => (e as Error).message,
    );
    expect(error).toMatch(/batch-cancel: batching and cancellation are mutually exclusive/);
    expect(error).toMatch(/batch-debounce: batching and debouncing are mutually exclusive/);
    expect(error).toMatch(/batch-one: batch size cannot be smaller than 2/);
    expect(error).toMatch(/batch-quick: batch timeout should be more than 1s/);
    // Inngest refuses the whole sync, not just the offending functions.
    expect(h.executor.registry.functions.size).toBe(0);
  });
});
