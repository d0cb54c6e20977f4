/**
 * Worker health in cloud mode (a signing key, no INNGEST_DEV): /api/inngest records a
 * contact only for requests whose signature verified, so an Inngest app holding the wrong
 * signing key (every request answered 401) leaves no trace and the console and
 * `worker_silent` say so; a verified call counts whatever the SDK answers it. Driven in-process through the real route module, as sync.test.ts is; the
 * network edge is stood in for by one loopback server playing Inngest's API (the sync's
 * registration) and the Supabase Data API (which records what the app writes).
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const APP_URL = "https://app.example.com";
const SIGNING_KEY = `signkey-prod-${"ab".repeat(32)}`;
const WRONG_KEY = `signkey-prod-${"cd".repeat(32)}`;

const contacts: unknown[] = [];
let edge: http.Server;
let route: typeof import("@/app/api/inngest/route");

beforeAll(async () => {
  edge = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url?.startsWith("/rest/v1/rpc/record_inngest_contact")) {
        contacts.push(JSON.parse(body));
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: true, modified: true }));
    });
  });
  await new Promise<void>((resolve) => edge.listen(0, "127.0.0.1", resolve));
  const { port } = edge.address() as AddressInfo;

  vi.stubEnv("APP_URL", APP_URL);
  vi.stubEnv("SUPABASE_URL", `http://127.0.0.1:${port}`);
  vi.stubEnv("SUPABASE_PUBLISHABLE_KEY", "sb_publishable_test");
  vi.stubEnv("SUPABASE_SECRET_KEY", "sb_secret_test");
  vi.stubEnv("RESEND_API_KEY", "re_test");
  vi.stubEnv("EMAIL_FROM", "Offload <hello@example.com>");
  vi.stubEnv("UNSUBSCRIBE_SECRET", "u".repeat(32));
  vi.stubEnv("INVITATION_SECRET", "i".repeat(32));
  vi.stubEnv("INNGEST_DEV", undefined);
  vi.stubEnv("INNGEST_SIGNING_KEY", SIGNING_KEY);
  vi.stubEnv("INNGEST_EVENT_KEY", "event-key");
  vi.stubEnv("INNGEST_API_BASE_URL", `http://127.0.0.1:${port}`);
  vi.resetModules();
  route = await import("@/app/api/inngest/route");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => edge.close(resolve));
});

/** Inngest's request signature: t=<unix seconds>&s=<hex HMAC-SHA256 of body + t, keyed with the key minus its prefix>. */
function signature(body: string, key: string): string {
  const t = Math.floor(Date.now() / 1000).toString();
  const s = createHmac("sha256", key.replace(/^signkey-\w+-/, "")).update(body + t).digest("hex");
  return `t=${t}&s=${s}`;
}

const sync = (key: string) => {
  const body = JSON.stringify({ url: `${APP_URL}/api/inngest` });
  return route.PUT(
    new NextRequest(`${APP_URL}/api/inngest`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-inngest-signature": signature(body, key) },
      body,
    }),
    {},
  );
};

describe("Inngest contacts in cloud mode", () => {
  it("records nothing for a sync signed with the wrong key, and the sync for the right one", async () => {
    const refused = await sync(WRONG_KEY);
    expect(refused.status).toBe(401);
    // The write happens before the answer is returned: nothing can still be on its way.
    expect(contacts).toEqual([]);

    const accepted = await sync(SIGNING_KEY);
    expect(accepted.status).toBe(200);
    expect(contacts).toEqual([{ p_kind: "sync", p_at: expect.any(String) }]);
  });

  const calls = () => contacts.filter((c) => (c as { p_kind: string }).p_kind === "call");
  const call = (body: string, headers: Record<string, string>, fnId = "offload-check-alerts") =>
    route.POST(
      new NextRequest(`${APP_URL}/api/inngest?fnId=${fnId}&stepId=step`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      }),
      {},
    );
  // Keys in canonical (sorted) order: the SDK verifies the signature over canonical JSON.
  const runBody = JSON.stringify({ ctx: {}, event: {}, events: [], steps: {} });

  it("records nothing for a call signed with the wrong key", async () => {
    const response = await call(runBody, { "x-inngest-signature": signature(runBody, WRONG_KEY) });
    expect(response.status).toBe(401);
    expect(calls()).toEqual([]);
  });

  it("records nothing for what it refuses before the SDK: a browser's request, a body that isn't JSON", async () => {
    const fromPage = await call(runBody, { origin: "https://evil.example", "x-inngest-signature": signature(runBody, SIGNING_KEY) });
    expect(fromPage.status).toBe(403);
    const garbled = "{not json";
    const invalid = await call(garbled, { "x-inngest-signature": signature(garbled, SIGNING_KEY) });
    expect(invalid.status).toBe(400);
    expect(calls()).toEqual([]);
  });

  it("records a verified call the SDK answers with an error: Inngest did reach the app", async () => {
    // Signed with the right key, for a function this app doesn't serve: not a 2xx.
    const response = await call(runBody, { "x-inngest-signature": signature(runBody, SIGNING_KEY) }, "offload-no-such-function");
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect([401, 403]).not.toContain(response.status);
    expect(calls()).toEqual([{ p_kind: "call", p_at: expect.any(String) }]);
  });
});
