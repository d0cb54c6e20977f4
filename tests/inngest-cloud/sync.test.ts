/**
 * /api/inngest in cloud mode (a signing key, no INNGEST_DEV), driven in-process through
 * the real route module and the SDK's serve(). Only the network edge is stood in for:
 * Inngest's API, on loopback as INNGEST_API_BASE_URL, records what the app registers.
 *
 * Inngest Cloud syncs with a signed `PUT` (x-inngest-signature: t=<unix seconds>&s=<hex
 * HMAC-SHA256 of the body followed by t, keyed with the signing key minus its
 * `signkey-<env>-` prefix>), as Inngest's docs on signing keys describe.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const APP_URL = "https://app.example.com";
const SIGNING_KEY = `signkey-prod-${"ab".repeat(32)}`;
const FORGED_HEADERS = { host: "attacker.example", "x-forwarded-host": "attacker.example", "x-forwarded-proto": "http" };

type FunctionConfig = { steps: Record<string, { runtime: { url: string } }> };
const registrations: { url: string; functions: FunctionConfig[] }[] = [];
let inngestApi: http.Server;
let route: typeof import("@/app/api/inngest/route");

beforeAll(async () => {
  inngestApi = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method === "POST" && req.url?.startsWith("/fn/register")) registrations.push(JSON.parse(body));
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: true, modified: true }));
    });
  });
  await new Promise<void>((resolve) => inngestApi.listen(0, "127.0.0.1", resolve));
  const { port } = inngestApi.address() as AddressInfo;

  vi.stubEnv("APP_URL", APP_URL);
  // The route records each accepted sync and call in the database: here, on this stub too.
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
  await new Promise((resolve) => inngestApi.close(resolve));
});

beforeEach(() => {
  registrations.length = 0;
});

const noContext = {};

function signature(body: string): string {
  const t = Math.floor(Date.now() / 1000).toString();
  const s = createHmac("sha256", SIGNING_KEY.replace(/^signkey-\w+-/, "")).update(body + t).digest("hex");
  return `t=${t}&s=${s}`;
}

function stepUrls(configs: FunctionConfig[]): string[] {
  return configs.flatMap((fn) => Object.values(fn.steps).map((step) => step.runtime.url));
}

describe("PUT /api/inngest in cloud mode", () => {
  it("registers nothing for an unsigned sync, whatever host or query it names", async () => {
    for (const url of ["http://attacker.example/api/inngest", `${APP_URL}/api/inngest?probe=trust`]) {
      const response = await route.PUT(new NextRequest(url, { method: "PUT", headers: FORGED_HEADERS }), noContext);
      expect(response.status).toBe(401);
    }
    expect(registrations).toEqual([]);
  });

  it("registers APP_URL for a signed out-of-band sync that arrived with a forged host", async () => {
    const body = JSON.stringify({ url: "http://attacker.example/api/inngest" });
    const response = await route.PUT(
      new NextRequest("http://attacker.example/api/inngest", {
        method: "PUT",
        headers: { ...FORGED_HEADERS, "content-type": "application/json", "x-inngest-signature": signature(body) },
        body,
      }),
      noContext,
    );

    expect(response.status).toBe(200);
    expect(registrations.map((registration) => registration.url)).toEqual([`${APP_URL}/api/inngest`]);
    const urls = stepUrls(registrations[0]!.functions);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(`${APP_URL}/api/inngest?`)).toBe(true);
  });

  it("answers a signed in-band sync (Inngest Cloud's) with APP_URL, not the host it was called at", async () => {
    const body = JSON.stringify({ url: "http://attacker.example/api/inngest" });
    const response = await route.PUT(
      new NextRequest("http://attacker.example/api/inngest", {
        method: "PUT",
        headers: {
          ...FORGED_HEADERS,
          "content-type": "application/json",
          "x-inngest-sync-kind": "in_band",
          "x-inngest-signature": signature(body),
        },
        body,
      }),
      noContext,
    );

    expect(response.status).toBe(200);
    const answer = (await response.json()) as { url: string; functions: FunctionConfig[] };
    expect(answer.url).toBe(`${APP_URL}/api/inngest`);
    for (const url of stepUrls(answer.functions)) expect(url.startsWith(`${APP_URL}/api/inngest?`)).toBe(true);
    expect(registrations).toEqual([]);
  });
});

describe("POST /api/inngest in cloud mode", () => {
  const callUrl = `${APP_URL}/api/inngest?fnId=offload-check-alerts&stepId=step`;

  it("refuses an unsigned call without running anything", async () => {
    const response = await route.POST(
      new NextRequest(callUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ event: {}, events: [], steps: {}, ctx: {} }),
      }),
      noContext,
    );
    expect(response.status).toBe(401);
  });

  it("answers a malformed body with a 400 JSON error, not a 500", async () => {
    for (const method of ["POST", "PUT"] as const) {
      const request = new NextRequest(callUrl, {
        method,
        headers: { "content-type": "application/json" },
        body: "{not json",
      });
      const response = await route[method](request, noContext);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: "invalid_json", message: expect.any(String) } });
    }
  });
});
