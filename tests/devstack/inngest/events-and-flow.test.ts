/** Event handling, cancellation, cron and flow control, against the real SDK. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const runsOfFunction = (functionId: string) => [...h!.executor.store.runs.values()].filter((r) => r.functionId === functionId);

describe("inngest executor: events", () => {
  it("de-duplicates events by id: the same id is returned and triggers nothing more", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "once", triggers: { event: "test/once" } }, async () => "ran");
    await h.serve([fn]);
    const first = await h.send("test/once", {}, "my-event-id");
    const second = await h.send("test/once", { other: true }, "my-event-id");
    expect(second).toBe(first);
    await h.finished(first);
    expect(h.runsOf("my-event-id")).toHaveLength(1);
  });

  it("starts only functions whose trigger expression matches", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "big-only", triggers: { event: "test/order", if: "event.data.total > 100" } }, async () => "big");
    await h.serve([fn]);
    const small = await h.send("test/order", { total: 5 });
    const big = await h.send("test/order", { total: 500 });
    await h.finished(big);
    expect(h.runsOf(small)).toHaveLength(0);
  });

  it("cancels a run on a matching cancelOn event; the cancelled run makes no further calls", async () => {
    h = await createHarness();
    const calls = new Map<string, { body: number; after: number }>();
    const fn = h.inngest.createFunction(
      { id: "cancellable", triggers: { event: "test/job" }, cancelOn: [{ event: "test/job.cancel", match: "data.jobId" }] },
      async ({ event, step }) => {
        const count = calls.get(String(event.data.jobId)) ?? { body: 0, after: 0 };
        calls.set(String(event.data.jobId), count);
        count.body++;
        await step.sleep("wait-a-bit", "1s");
        await step.run("after", () => count.after++);
      },
    );
    await h.serve([fn]);
    const eventId = await h.send("test/job", { jobId: "j1" });
    await h.until(() => h!.runsOf(eventId)[0]?.steps.some((s) => s.name === "wait-a-bit"), "the sleep to start");
    await h.send("test/job.cancel", { jobId: "someone-else" });
    expect(h.runsOf(eventId)[0]!.status).toBe("Running");
    await h.send("test/job.cancel", { jobId: "j1" });
    const run = await h.finished(eventId);
    expect(run.status).toBe("Cancelled");
    const callsAtCancel = calls.get("j1")!.body;
    // A later run of the same function sleeps past the cancelled one's wake-up: once it has
    // woken up and finished, the cancelled sleep would have ended too, and nothing called j1 again.
    const marker = await h.finished(await h.send("test/job", { jobId: "marker" }));
    expect(marker.status).toBe("Completed");
    expect(calls.get("marker")!.after).toBe(1);
    expect(calls.get("j1")).toEqual({ body: callsAtCancel, after: 0 });
    expect(h.executor.store.events.some((e) => e.name === "inngest/function.cancelled" && e.data.run_id === run.id)).toBe(true);
  });

  it("cancels and reruns through the JSON API", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "long", triggers: { event: "test/long" } }, async ({ step }) => {
      await step.sleep("long-sleep", "1m");
    });
    await h.serve([fn]);
    const eventId = await h.send("test/long");
    const run = await h.until(() => h!.runsOf(eventId).find((r) => r.steps.length > 0), "the sleep to start");
    const cancelled = await fetch(`${h.executor.url}/v1/runs/${run.id}/cancel`, { method: "POST" });
    expect((await cancelled.json()) as unknown).toMatchObject({ data: { status: "Cancelled" } });
    const rerun = await fetch(`${h.executor.url}/v1/runs/${run.id}/rerun`, { method: "POST" });
    const { data } = (await rerun.json()) as { data: { run_id: string; event_id: string } };
    expect(data.event_id).toBe(eventId);
    expect(data.run_id).not.toBe(run.id);
    const list = (await (await fetch(`${h.executor.url}/v1/runs?status=Cancelled`)).json()) as { data: { run_id: string }[] };
    expect(list.data.map((r) => r.run_id)).toEqual([run.id]);
  });
});

describe("inngest executor: cron", () => {
  it("fires a cron function on schedule (every second, with a TZ= prefix)", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "ticker", triggers: { cron: "TZ=Europe/Paris * * * * * *" } }, async ({ event }) => event.name);
    await h.serve([fn]);
    const run = await h.until(() => runsOfFunction("offload-test-ticker").find((r) => r.status === "Completed"), "a scheduled run", 5_000);
    expect(run.output).toBe("inngest/scheduled.timer");
    expect(run.event.data).toMatchObject({ cron: "TZ=Europe/Paris * * * * * *" });
  });

  it("runs a cron function by hand through POST /v1/functions/:id/invoke", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "nightly", triggers: { cron: "0 3 * * *" } }, async ({ event }) => event.name);
    await h.serve([fn]);
    const response = await fetch(`${h.executor.url}/v1/functions/offload-test-nightly/invoke`, { method: "POST" });
    const { data } = (await response.json()) as { data: { event_id: string } };
    const run = await h.finished(data.event_id);
    expect(run.output).toBe("inngest/scheduled.timer");
  });
});

describe("inngest executor: flow control", () => {
  it("limits concurrency per key: at most N steps of a key execute at once, FIFO", async () => {
    h = await createHarness();
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    let total = 0;
    let peakTotal = 0;
    const fn = h.inngest.createFunction(
      { id: "per-tenant", triggers: { event: "test/tenant" }, concurrency: { limit: 2, key: "event.data.tenant" } },
      async ({ event, step }) => {
        const tenant = event.data.tenant as string;
        await step.run("work", async () => {
          active.set(tenant, (active.get(tenant) ?? 0) + 1);
          peak.set(tenant, Math.max(peak.get(tenant) ?? 0, active.get(tenant)!));
          peakTotal = Math.max(peakTotal, ++total);
          await new Promise((r) => setTimeout(r, 150));
          active.set(tenant, active.get(tenant)! - 1);
          total--;
        });
      },
    );
    await h.serve([fn]);
    const ids = await Promise.all(["a", "a", "a", "a", "a", "b", "b", "b"].map((tenant) => h!.send("test/tenant", { tenant })));
    for (const id of ids) expect((await h.finished(id)).status).toBe("Completed");
    expect(peak.get("a")).toBe(2);
    expect(peak.get("b")).toBe(2);
    expect(peakTotal).toBeGreaterThan(2); // keys are separate buckets
  });

  it("runs at most one run per idempotency key", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "welcome", idempotency: "event.data.userId", triggers: { event: "test/signed-up" } }, async () => "sent");
    await h.serve([fn]);
    const first = await h.send("test/signed-up", { userId: "u1" });
    const duplicate = await h.send("test/signed-up", { userId: "u1" });
    const other = await h.send("test/signed-up", { userId: "u2" });
    await h.finished(first);
    await h.finished(other);
    expect(h.runsOf(duplicate)).toHaveLength(0);
  });

  it("throttles run starts: delays beyond the limit, drops nothing", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "throttled", throttle: { limit: 2, period: "1s" }, triggers: { event: "test/throttle" } }, async () => Date.now());
    await h.serve([fn]);
    const ids = await Promise.all([1, 2, 3].map(() => h!.send("test/throttle")));
    const runs = await Promise.all(ids.map((id) => h!.finished(id)));
    expect(runs.every((r) => r.status === "Completed")).toBe(true);
    const starts = runs.map((r) => r.startedAt!).sort((a, b) => a - b);
    // GCRA: two start at once, the third one emission interval (1s / 2) later.
    expect(starts[2]! - starts[0]!).toBeGreaterThanOrEqual(450);
  });

  it("rate-limits per key: events beyond the limit start no run", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "limited", rateLimit: { limit: 1, period: "1m", key: "event.data.user" }, triggers: { event: "test/limited" } },
      async () => "ran",
    );
    await h.serve([fn]);
    const first = await h.send("test/limited", { user: "x" });
    const dropped = await h.send("test/limited", { user: "x" });
    const otherKey = await h.send("test/limited", { user: "y" });
    await h.finished(first);
    await h.finished(otherKey);
    expect(h.runsOf(dropped)).toHaveLength(0);
  });
});

describe("inngest executor: sync", () => {
  it("keeps trying to sync an app that isn't up yet, then syncs it", async () => {
    h = await createHarness();
    await h.until(() => h!.executor.registry.apps.get(h!.appUrl)?.error?.includes("ECONNREFUSED"), "a failed sync");
    const fn = h.inngest.createFunction({ id: "late", triggers: { event: "test/late" } }, async () => "ok");
    await h.startAppOnly([fn]);
    await h.until(() => h!.executor.registry.functions.has("offload-test-late"), "the periodic sync");
  });

  it("accepts an out-of-band sync (PUT without in-band → SDK POSTs /fn/register)", async () => {
    h = await createHarness({ syncIntervalMs: 60_000 });
    const fn = h.inngest.createFunction({ id: "oob", triggers: { event: "test/oob" } }, async () => "ok");
    await h.startAppOnly([fn]);
    const response = await fetch(h.appUrl, { method: "PUT" });
    expect(response.status).toBe(200);
    expect(h.executor.registry.functions.has("offload-test-oob")).toBe(true);
  });

});
