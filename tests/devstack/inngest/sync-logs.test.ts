/** What a developer reads at `npm run dev` while the app is still starting. */
import { afterEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("inngest executor: sync logs", () => {
  it("says it is waiting for an app that isn't listening yet, once, instead of reporting a failure", async () => {
    h = await createHarness();
    await h.until(() => h!.executor.registry.apps.get(h!.appUrl)?.error?.includes("ECONNREFUSED"), "a refused sync");
    const fn = h.inngest.createFunction({ id: "late", triggers: { event: "test/late" } }, async () => "ok");
    await h.startAppOnly([fn]);
    await h.until(() => h!.executor.registry.functions.has("offload-test-late"), "the sync");

    expect(h.logs.filter((line) => line.startsWith(`waiting for the app at ${h!.appUrl}`))).toHaveLength(1);
    expect(h.logs.join("\n")).not.toMatch(/failed|ECONNREFUSED/);
    expect(h.logs.at(-1)).toMatch(/^synced offload-test at /);
  });

  it("still reports a sync that fails for another reason", async () => {
    h = await createHarness();
    // Something answers, but it isn't an Inngest endpoint: a 404 for every request.
    await h.startAppOnly([]);
    await h.stopApp();
    const http = await import("node:http");
    const port = Number(new URL(h.appUrl).port);
    const server = http.createServer((_req, res) => res.writeHead(404).end("not here"));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      await h.until(() => h!.logs.find((line) => line.includes("answered 404")), "the failed sync");
      expect(h.logs.find((line) => line.includes("answered 404"))).toMatch(/^sync of .* failed, retrying: PUT .* answered 404/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
