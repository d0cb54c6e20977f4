import { exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from "jose";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type * as clientModule from "@/lib/http/client";
import type { route as routeFunction } from "@/lib/http/route";
import { sessionCookie, STORAGE_KEY, stubAppEnv, SUPABASE_URL } from "./session-fixture";

/**
 * The page's organisation, both ends: the browser's API client names the organisation its
 * page was rendered for (`Offload-Organisation`), and route() refuses a signed-in request
 * whose page shows another one than the caller now acts in (they switched elsewhere), before
 * the handler, the route segments or the body are looked at. As in route.test.ts, sessions are
 * real ES256 JWTs checked against a stubbed Supabase JWKS, and the stubbed PostgREST answers
 * `viewer_context` as row-level security would for the token's user.
 */

const KID = "organisation-header-test-key";

const PERSONAL = { id: "00000000-0000-4000-8000-0000000000a1", name: "Ada's workspace", slug: null, personal: true, plan: "free" };
const TEAM = { id: "00000000-0000-4000-8000-0000000000b1", name: "Acme Rocketry", slug: "acme", personal: false, plan: "free" };
const GONE = "00000000-0000-4000-8000-0000000000c1";
const USER = { id: "00000000-0000-4000-8000-000000000001", email: "ada@example.com" };

let signingKey: CryptoKey;
let verifyingKey: CryptoKey;
let publicJwk: JWK;
let cookieValues: Map<string, string>;
let restCalls: string[];
/** The organisation the user now acts in (their row in current_organisations). */
let current: typeof PERSONAL | typeof TEAM;
let route: typeof routeFunction;
let client: typeof clientModule;

vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => [...cookieValues].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => cookieValues.set(name, value),
  }),
}));

async function supabase(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (url.origin !== SUPABASE_URL) throw new TypeError(`fetch failed: nothing listens at ${url.origin}`);
  if (url.pathname === "/auth/v1/.well-known/jwks.json") return Response.json({ keys: [publicJwk] });
  restCalls.push(url.pathname);
  if (url.pathname !== "/rest/v1/rpc/viewer_context") return Response.json({ message: "not stubbed" }, { status: 404 });
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const sub = token ? await jwtVerify(token, verifyingKey).then((r) => r.payload.sub, () => undefined) : undefined;
  if (sub !== USER.id) return Response.json(null);
  return Response.json({
    user_id: USER.id,
    email: USER.email,
    display_name: "Ada",
    time_zone: "UTC",
    pending_email: null,
    membership: { role: "owner", organisation: current },
    memberships: [
      { role: "owner", organisation: PERSONAL },
      { role: "owner", organisation: TEAM },
    ],
    platform_admin: false,
    admin_org_ids: [TEAM.id],
  });
}

async function signIn(): Promise<void> {
  cookieValues.set(STORAGE_KEY, (await sessionCookie(USER, signingKey, KID)).value);
}

type Handler = (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A body that records whether anything read it. */
function watchedBody() {
  const watched = { read: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        watched.read = true;
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ name: "x" })));
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, watched };
}

function call(handler: Handler, init: { method?: string; page?: string; body?: BodyInit; params?: Record<string, string> } = {}) {
  const headers = new Headers({ "content-type": "application/json" });
  if (init.page !== undefined) headers.set("Offload-Organisation", init.page);
  const request = new NextRequest("http://localhost:3000/api/x", {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body,
    duplex: "half",
  });
  return handler(request, { params: Promise.resolve(init.params ?? {}) });
}

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  signingKey = pair.privateKey;
  verifyingKey = pair.publicKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "ES256", use: "sig" };
  stubAppEnv();
  vi.resetModules();
  ({ route } = await import("@/lib/http/route"));
  client = await import("@/lib/http/client");
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe("route() and the page's organisation", () => {
  beforeEach(async () => {
    vi.stubGlobal("fetch", supabase);
    cookieValues = new Map();
    restCalls = [];
    current = PERSONAL;
    await signIn();
  });
  afterEach(() => vi.unstubAllGlobals());

  const ran = { handler: false };
  const body = z.object({ name: z.string() });
  const create = (options: { allowStaleOrganisation?: boolean } = {}) =>
    route({ body, params: z.object({ id: z.uuid() }), ...options }, () => {
      ran.handler = true;
      return Response.json({ ok: true }, { status: 201 });
    });
  beforeEach(() => {
    ran.handler = false;
  });

  it("refuses a page rendered for another organisation with 409, naming the current one, before the params or the body", async () => {
    const { stream, watched } = watchedBody();
    // The params don't fit either: the stale page is told first, it is what to act on.
    const response = await call(create(), { page: TEAM.id, body: stream, params: { id: "not-a-uuid" } });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      organisation: { id: PERSONAL.id, name: PERSONAL.name },
      error: {
        code: "organisation_changed",
        message: `You switched to ${PERSONAL.name} in another tab or on another device. Reload this page to work there.`,
      },
    });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(watched.read).toBe(false);
    expect(ran.handler).toBe(false);
  });

  it("lets the request through when the page shows the current organisation, in any letter case, with one viewer lookup", async () => {
    current = TEAM;
    const handler = route({}, async ({ membership }) => Response.json(await membership()));
    const response = await call(handler, { page: TEAM.id.toUpperCase() });
    expect(response.status).toBe(200);
    expect((await response.json()) as unknown).toEqual({ role: "owner", organisation: TEAM });
    expect(restCalls).toEqual(["/rest/v1/rpc/viewer_context"]);
  });

  it("says so when the page's organisation is one the caller is no longer in", async () => {
    const response = await call(create(), { page: GONE, body: JSON.stringify({ name: "x" }), params: { id: GONE } });
    expect(response.status).toBe(409);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("organisation_changed");
    expect(error.message).toContain("no longer in the organisation this page shows");
    expect(error.message).toContain(PERSONAL.name);
  });

  it("checks nothing without the header (API clients, curl), and asks for no viewer", async () => {
    const response = await call(create(), { body: JSON.stringify({ name: "x" }), params: { id: TEAM.id } });
    expect(response.status).toBe(201);
    expect(ran.handler).toBe(true);
    expect(restCalls).toEqual([]);
  });

  it("answers 400 to a header that isn't an organisation id, without reading the body", async () => {
    for (const value of ["acme", "", `${TEAM.id},${PERSONAL.id}`, "../../etc"]) {
      const { stream, watched } = watchedBody();
      const response = await call(create(), { page: value, body: stream, params: { id: TEAM.id } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
      expect(watched.read).toBe(false);
    }
    expect(ran.handler).toBe(false);
  });

  it("lets an endpoint that changes the organisation (allowStaleOrganisation) take a stale page's request", async () => {
    const response = await call(create({ allowStaleOrganisation: true }), {
      method: "PUT",
      page: TEAM.id,
      body: JSON.stringify({ name: "x" }),
      params: { id: TEAM.id },
    });
    expect(response.status).toBe(201);
    expect(ran.handler).toBe(true);
  });

  it("checks no page on public routes, and answers a signed-out caller 401 first", async () => {
    cookieValues = new Map();
    const open = route({ auth: false }, () => Response.json({ ok: true }));
    expect((await call(open, { page: TEAM.id })).status).toBe(200);
    expect((await call(open, { page: "acme" })).status).toBe(200);
    expect((await call(route({}, () => Response.json({})), { page: "acme" })).status).toBe(401);
  });
});

describe("the browser's API client and the page's organisation", () => {
  let sent: Headers[];
  let reply: () => Response;

  beforeEach(() => {
    sent = [];
    vi.stubGlobal("fetch", async (_url: string, init?: RequestInit) => {
      sent.push(new Headers(init?.headers));
      return reply();
    });
  });
  afterEach(() => {
    client.setPageOrganisation(null);
    vi.unstubAllGlobals();
  });

  it("names the page's organisation on every request once the page has set it, and none before", async () => {
    reply = () => Response.json({ ok: true });
    await client.api("/api/x", z.unknown());
    client.setPageOrganisation(TEAM.id);
    await client.api("/api/x", z.unknown(), { method: "POST", json: {} });
    await client.postJson("/api/y");
    expect(sent.map((headers) => headers.get("offload-organisation"))).toEqual([null, TEAM.id, TEAM.id]);
  });

  it("rebuilds the 409 as OrganisationChangedError with the current organisation, and tells the listeners", async () => {
    client.setPageOrganisation(TEAM.id);
    const message = `You switched to ${PERSONAL.name} in another tab or on another device. Reload this page to work there.`;
    reply = () =>
      Response.json(
        { organisation: { id: PERSONAL.id, name: PERSONAL.name }, error: { code: "organisation_changed", message } },
        { status: 409 },
      );
    const heard: unknown[] = [];
    const stop = client.onOrganisationChanged((error) => heard.push(error.organisation));
    const error: unknown = await client.api("/api/reports", z.unknown(), { method: "POST", json: {} }).catch((e: unknown) => e);
    stop();
    await client.api("/api/reports", z.unknown()).catch(() => undefined);
    expect(error).toBeInstanceOf(client.OrganisationChangedError);
    expect(error).toMatchObject({ status: 409, code: "organisation_changed", message, organisation: { id: PERSONAL.id, name: PERSONAL.name } });
    // Told once: the second refusal came after the listener stopped listening.
    expect(heard).toEqual([{ id: PERSONAL.id, name: PERSONAL.name }]);
  });

  it("leaves another 409 a plain HttpError", async () => {
    reply = () => Response.json({ error: { code: "slug_taken", message: "Taken." } }, { status: 409 });
    const error: unknown = await client.api("/api/x", z.unknown()).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(client.OrganisationChangedError);
    expect(error).toMatchObject({ status: 409, code: "slug_taken" });
  });
});
