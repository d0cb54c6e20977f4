/**
 * A function option the devstack doesn't implement fails loudly at sync: an `error:` log
 * line, and the app's entry on the runs page and `GET /dev`'s handler `error` name the
 * function and the option. The app's functions are still served, so the rest of it works.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

import type { DevInfo } from "@/devstack/inngest/dev-info";

describe("inngest executor: options it does not implement", () => {
  it("names the function and the option in the log, the runs page and GET /dev, and still serves the app", async () => {
    h = await createHarness();
    const jittery = h.inngest.createFunction({ id: "jittery", triggers: { cron: "0 3 * * *", jitter: "5m" } }, async () => "ok");
    const plain = h.inngest.createFunction({ id: "plain", triggers: { event: "test/plain" } }, async () => "still works");
    await h.serve([jittery, plain]);

    const line = 'function offload-test-jittery: "cron jitter" is not implemented by the devstack and is ignored';
    expect(h.logs).toContain(`error: ${line}`);
    const dev = (await (await fetch(`${h.executor.url}/dev`)).json()) as DevInfo;
    expect(dev.handlers.find((handler) => handler.sdk.url === h!.appUrl)?.error).toContain(line);
    const page = await (await fetch(`${h.executor.url}/functions`)).text();
    expect(page).toContain("offload-test-jittery: &quot;cron jitter&quot; is not implemented");

    expect((await h.finished(await h.send("test/plain"))).output).toBe("still works");
  });

  it("reports an option a newer SDK sends that this executor has never heard of", async () => {
    h = await createHarness({ syncIntervalMs: 60_000 });
    const response = await fetch(`${h.executor.url}/fn/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        url: h.appUrl,
        appName: "future-app",
        functions: [
          {
            id: "future-app-fn",
            triggers: [{ event: "test/future" }],
            steps: { step: { id: "step", runtime: { type: "http", url: `${h.appUrl}?fnId=future-app-fn&stepId=step` } } },
            hyperdrive: { warp: 9 },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    expect(h.logs).toContain('error: function future-app-fn: "hyperdrive" is not implemented by the devstack and is ignored');
    expect(h.executor.registry.apps.get(h.appUrl)?.unsupported).toEqual([
      'function future-app-fn: "hyperdrive" is not implemented by the devstack and is ignored',
    ]);
    expect(h.executor.registry.functions.has("future-app-fn")).toBe(true);
  });

  it("no longer reports singleton and timeouts, which it implements", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "implemented", singleton: { mode: "skip" }, timeouts: { finish: "1m" }, triggers: { event: "test/implemented" } },
      async () => "ok",
    );
    await h.serve([fn]);
    expect(h.logs.join("\n")).not.toMatch(/not implemented/);
    expect(h.executor.registry.apps.get(h.appUrl)?.unsupported).toEqual([]);
  });
});
