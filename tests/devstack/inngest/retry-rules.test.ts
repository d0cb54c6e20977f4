/**
 * Which answers spend an attempt, as Inngest's HTTP driver decides (`ShouldRetry`): only
 * `X-Inngest-No-Retry: true` or the last attempt is final, whatever the status; an answer
 * that didn't come from the SDK is a failed attempt (here after a grace period, for
 * `next dev`'s error pages while it recompiles). The SDK answers normally once the
 * harness stops intercepting.
 */
import type http from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 20_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Calls to a function (the executor POSTs with `stepId`), not syncs. */
const isCall = (req: http.IncomingMessage) => req.method === "POST" && (req.url ?? "").includes("stepId=");

/** What the SDK would send for a retriable error, with a status it doesn't use (a 4xx). */
function sdkAnswer(res: http.ServerResponse, status: number, noRetry: "true" | "false") {
  res
    .writeHead(status, {
      "content-type": "application/json",
      "x-inngest-req-version": "2",
      "x-inngest-sdk": "inngest-js:v4.24.0",
      "x-inngest-no-retry": noRetry,
    })
    .end(JSON.stringify({ name: "Error", message: `answered ${status}` }));
}

function errorPage(res: http.ServerResponse) {
  res.writeHead(502, { "content-type": "text/html" }).end("<html><body>Bad gateway</body></html>");
}

describe("inngest executor: retry rules", () => {
  it("retries a 4xx that carries X-Inngest-No-Retry: false, spending an attempt", async () => {
    h = await createHarness();
    const attempts: number[] = [];
    const fn = h.inngest.createFunction({ id: "retry-400", retries: 2, triggers: { event: "test/retry-400" } }, async ({ attempt }) => {
      attempts.push(attempt);
      return "ok";
    });
    await h.serve([fn]);
    let intercepted = 0;
    h.intercept((req, res) => {
      if (!isCall(req) || intercepted > 0) return false;
      intercepted++;
      sdkAnswer(res, 400, "false");
      return true;
    });
    const run = await h.finished(await h.send("test/retry-400"));
    expect(run.status).toBe("Completed");
    expect(attempts).toEqual([1]); // the 400 was attempt 0
  });

  it("treats a 4xx with X-Inngest-No-Retry: true as final", async () => {
    h = await createHarness();
    let ran = 0;
    const fn = h.inngest.createFunction({ id: "final-409", retries: 2, triggers: { event: "test/final-409" } }, async () => ++ran);
    await h.serve([fn]);
    h.intercept((req, res) => {
      if (!isCall(req)) return false;
      sdkAnswer(res, 409, "true");
      return true;
    });
    const run = await h.finished(await h.send("test/final-409"));
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toBe("answered 409");
    expect(ran).toBe(0);
  });

  it("retries answers that aren't the SDK's for free during the grace period", async () => {
    h = await createHarness({ notSdkGraceMs: 10_000 });
    const attempts: number[] = [];
    const fn = h.inngest.createFunction({ id: "recompiling", retries: 0, triggers: { event: "test/recompiling" } }, async ({ attempt }) => {
      attempts.push(attempt);
      return "compiled";
    });
    await h.serve([fn]);
    let pages = 0;
    h.intercept((req, res) => {
      if (!isCall(req) || pages >= 3) return false;
      pages++;
      errorPage(res);
      return true;
    });
    const run = await h.finished(await h.send("test/recompiling"));
    expect(run.status).toBe("Completed");
    expect(pages).toBe(3);
    expect(attempts).toEqual([0]); // none of the three error pages spent the only attempt
  });

  it("after the grace period, each answer that isn't the SDK's is a failed attempt, so the run fails", async () => {
    h = await createHarness({ notSdkGraceMs: 300 });
    const fn = h.inngest.createFunction({ id: "never-sdk", retries: 1, triggers: { event: "test/never-sdk" } }, async () => "unreachable");
    await h.serve([fn]);
    h.intercept((req, res) => {
      if (!isCall(req)) return false;
      errorPage(res);
      return true;
    });
    const eventId = await h.send("test/never-sdk");
    const run = await h.finished(eventId);
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toMatch(/without the Inngest SDK.*502/);
    expect(run.endedAt! - run.queuedAt).toBeGreaterThanOrEqual(300);
  });
});
