/** The runs page against the real SDK: attempts history, rerun from a step, live updates, escaping. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("inngest executor: runs page", () => {
  it("records every attempt of a retried step, with its error, and shows them on the run's timeline", async () => {
    h = await createHarness();
    let calls = 0;
    const fn = h.inngest.createFunction({ id: "flaky", retries: 3, triggers: { event: "test/flaky" } }, async ({ step }) =>
      step.run("flaky-step", () => {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls} <failed>`);
        return "ok";
      }),
    );
    await h.serve([fn]);
    const run = await h.finished(await h.send("test/flaky"));
    const step = run.steps.find((s) => s.name === "flaky-step");
    expect(step?.history?.map((a) => [a.attempt, a.error?.message])).toEqual([
      [1, "attempt 1 <failed>"],
      [2, "attempt 2 <failed>"],
      [3, undefined],
    ]);
    for (const attempt of step?.history ?? []) expect(attempt.endedAt).toBeGreaterThanOrEqual(attempt.startedAt);
    // Backoff separates the attempts: each starts after the previous one ended.
    expect(step!.history![1]!.startedAt).toBeGreaterThanOrEqual(step!.history![0]!.endedAt!);

    const page = await (await fetch(`${h.executor.url}/runs/${run.id}`)).text();
    expect(page).toContain("Attempt 1");
    expect(page).toContain("Attempt 3");
    expect(page).toContain("attempt 2 &lt;failed&gt;");
    expect(page).not.toContain("<failed>");
    expect(page).toContain('aria-label="Error of attempt 1 of step flaky-step"');
  });

  it("reruns from a step: the steps before it come from memory, it and those after run again", async () => {
    h = await createHarness();
    const ran: string[] = [];
    const fn = h.inngest.createFunction({ id: "three", triggers: { event: "test/three" } }, async ({ step }) => {
      const a = await step.run("a", () => (ran.push("a"), 1));
      const b = await step.run("b", () => (ran.push("b"), a + 1));
      return step.run("c", () => (ran.push("c"), b + 1));
    });
    await h.serve([fn]);
    const eventId = await h.send("test/three");
    const first = await h.finished(eventId);
    expect(ran).toEqual(["a", "b", "c"]);
    const b = first.steps.find((s) => s.name === "b")!;

    // The form on the step, as the page posts it.
    const response = await fetch(`${h.executor.url}/runs/${first.id}/rerun`, {
      method: "POST",
      body: new URLSearchParams({ from_step: b.id }),
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    const rerunId = decodeURIComponent(response.headers.get("location")!.split("/").at(-1)!);
    const rerun = await h.until(() => {
      const r = h!.executor.store.runs.get(rerunId);
      return r?.endedAt !== undefined && r;
    }, "the rerun to finish");
    expect(rerun).toMatchObject({ status: "Completed", output: 3, rerunOf: first.id, rerunFromStep: "b" });
    expect(ran).toEqual(["a", "b", "c", "b", "c"]);

    // The API does the same; an unknown step is refused.
    const unknown = await fetch(`${h.executor.url}/v1/runs/${first.id}/rerun`, { method: "POST", body: JSON.stringify({ from_step: "nope" }) });
    expect(unknown.status).toBe(404);
    const c = first.steps.find((s) => s.name === "c")!;
    const viaApi = await fetch(`${h.executor.url}/v1/runs/${first.id}/rerun`, { method: "POST", body: JSON.stringify({ from_step: c.id }) });
    const { data } = (await viaApi.json()) as { data: { run_id: string } };
    await h.until(() => h!.executor.store.runs.get(data.run_id)?.status === "Completed", "the API rerun to finish");
    expect(ran).toEqual(["a", "b", "c", "b", "c", "c"]);
  });

  it("tells an open page of changes (server-sent events) and serves its script", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "noop", triggers: { event: "test/noop" } }, async () => "done");
    await h.serve([fn]);
    const script = await fetch(`${h.executor.url}/runs.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("new EventSource(changes)");
    expect(await (await fetch(`${h.executor.url}/`)).text()).toContain('data-changes="/ui/changes"');

    const abort = new AbortController();
    const stream = await fetch(`${h.executor.url}/ui/changes`, { signal: abort.signal });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const received: string[] = [];
    const change = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        received.push(new TextDecoder().decode(value));
        if (received.join("").includes("event: change")) return true;
      }
    })();
    await h.send("test/noop");
    expect(await change).toBe(true);
    abort.abort();
  });

  it("escapes the search and echoes filters back into the form", async () => {
    h = await createHarness();
    await h.serve([]);
    const q = '"><script>alert(1)</script>';
    const page = await (await fetch(`${h.executor.url}/?q=${encodeURIComponent(q)}&status=Failed&system=1`)).text();
    expect(page).not.toContain("<script>alert");
    expect(page).toContain("&quot;&gt;&lt;script&gt;");
    expect(page).toContain("<option selected>Failed</option>");
    expect(page).toMatch(/name="system" value="1" checked/);
  });
});
