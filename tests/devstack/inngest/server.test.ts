/** The HTTP surface (runs page, forms, /dev) and persistence across an executor restart. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, tempDataDir, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("inngest executor: runs page and API", () => {
  it("lists runs and shows a run with its event and steps, escaping everything", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "echo", triggers: { event: "test/echo" } }, async ({ event, step }) =>
      step.run("echo-step", () => event.data.text),
    );
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/echo", { text: "<script>alert(1)</script>" }));

    const list = await (await fetch(`${h.executor.url}/?status=Completed`)).text();
    expect(list).toContain(run.id);
    expect(list).toContain("echo");

    const detail = await (await fetch(`${h.executor.url}/runs/${run.id}`)).text();
    expect(detail).toContain("echo-step");
    expect(detail).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(detail).not.toContain("<script>alert(1)");
  });

  it("sends an event from the form and lists functions with a run-now button for crons", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "formed", triggers: { event: "test/form" } }, async ({ event }) => event.data.n);
    const cron = h.inngest.createFunction({ id: "daily", triggers: { cron: "0 6 * * *" } }, async () => "daily");
    await h.serve([fn, cron]);
    const response = await fetch(`${h.executor.url}/events`, {
      method: "POST",
      body: new URLSearchParams({ name: "test/form", data: '{"n": 5}' }),
    });
    expect(response.status).toBe(200);
    const run = await h.until(() => [...h!.executor.store.runs.values()].find((r) => r.functionId === "offload-test-formed" && r.endedAt), "the run");
    expect(run.output).toBe(5);

    const functions = await (await fetch(`${h.executor.url}/functions`)).text();
    expect(functions).toContain("offload-test-daily");
    expect(functions).toContain("Run now");

    const dev = (await (await fetch(`${h.executor.url}/dev`)).json()) as { functions: { slug: string }[] };
    expect(dev.functions.map((f) => f.slug).sort()).toEqual(["offload-test-daily", "offload-test-formed"]);
  });
});

describe("inngest executor: persistence", () => {
  it("keeps run history and resumes a sleeping run after the executor restarts", async () => {
    h = await createHarness({ dataDir: await tempDataDir() });
    let after = 0;
    const fn = h.inngest.createFunction({ id: "durable", triggers: { event: "test/durable" } }, async ({ step }) => {
      await step.sleep("nap", "1s");
      await step.run("after", () => ++after);
      return "resumed";
    });
    await h.serve([fn]);
    const done = await h.finished(await h.send("test/durable"));
    expect(done.status).toBe("Completed"); // history to keep

    const eventId = await h.send("test/durable");
    await h.until(() => h!.runsOf(eventId)[0]?.steps.some((s) => s.name === "nap"), "the sleep to start");
    // Restart with the app down too: the restored run must wait for the app to sync, not fail.
    await h.stopApp();
    await h.restartExecutor();
    expect(h.executor.store.runs.get(done.id)?.status).toBe("Completed");
    await h.until(() => h!.runsOf(eventId)[0]?.note, "the restored run to wait for the app", 5_000);
    await h.startApp();
    const run = await h.finished(eventId);
    expect(run.status).toBe("Completed");
    expect(run.output).toBe("resumed");
    expect(after).toBe(2);
  });
});
