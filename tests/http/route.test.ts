import { exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from "jose";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { HttpError as HttpErrorClass } from "@/lib/http/errors";
import type { route as routeFunction } from "@/lib/http/route";
import type { log as logFunction } from "@/lib/observability/log";
import { sessionCookie, STORAGE_KEY, stubAppEnv, SUPABASE_URL } from "./session-fixture";

/**
 * The wrapper against the network edges it really has: the request's cookies (next/headers)
 * and Supabase over HTTP. Sessions are real ES256 JWTs signed with a key made here, whose
 * public half the stub serves at Supabase Auth's JWKS path, so `getClaims()` verifies them
 * as it does against a hosted project; the PostgREST stub answers with the rows row-level
 * security would let the token's user read.
 */

const KID = "route-test-key";

const PERSONAL_ORG = { id: "00000000-0000-4000-8000-0000000000a1", name: "Personal", slug: null, personal: true };
const TEAM_ORG = { id: "00000000-0000-4000-8000-0000000000b1", name: "Team", slug: "team", personal: false };

type Person = { id: string; email: string; teamAdmin: boolean; platformAdmin: boolean };
const people = {
  member: { id: "00000000-0000-4000-8000-000000000001", email: "member@example.com", teamAdmin: false, platformAdmin: false },
  teamAdmin: { id: "00000000-0000-4000-8000-000000000002", email: "team@example.com", teamAdmin: true, platformAdmin: false },
  operator: { id: "00000000-0000-4000-8000-000000000003", email: "ops@example.com", teamAdmin: false, platformAdmin: true },
} satisfies Record<string, Person>;

let signingKey: CryptoKey;
let verifyingKey: CryptoKey;
let publicJwk: JWK;
let cookieValues: Map<string, string>;
let calls: URL[];
let route: typeof routeFunction;
let HttpError: typeof HttpErrorClass;
let log: typeof logFunction;

vi.mock("next/headers", () => ({
  cookies: async () => ({
    getAll: () => [...cookieValues].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => cookieValues.set(name, value),
  }),
}));

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  signingKey = pair.privateKey;
  verifyingKey = pair.publicKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "ES256", use: "sig" };

  stubAppEnv();
  vi.stubGlobal("fetch", supabase);
  vi.resetModules();
  // Imported after the environment is stubbed, as one module graph.
  ({ route } = await import("@/lib/http/route"));
  ({ HttpError } = await import("@/lib/http/errors"));
  ({ log } = await import("@/lib/observability/log"));
});

afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

beforeEach(() => {
  cookieValues = new Map();
  calls = [];
});

// --- the Supabase edge ---------------------------------------------------------------

async function supabase(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const url = new URL(request.url);
  calls.push(url);
  if (url.origin !== SUPABASE_URL) throw new TypeError(`fetch failed: nothing listens at ${url.origin}`);
  if (url.pathname === "/auth/v1/.well-known/jwks.json") return Response.json({ keys: [publicJwk] });
  if (url.pathname.startsWith("/rest/v1/")) return postgrest(request, url);
  return Response.json({ code: 404, error_code: "not_found", msg: "Not found" }, { status: 404 });
}

/**
 * What PostgREST answers for `POST /rpc/viewer_context` (the viewer lookup), as the
 * token's user: their row, or null when the token names nobody (row-level security).
 */
async function postgrest(request: Request, url: URL): Promise<Response> {
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const sub = token ? await jwtVerify(token, verifyingKey).then((r) => r.payload.sub, () => undefined) : undefined;
  const person = Object.values(people).find((candidate) => candidate.id === sub);
  const path = url.pathname.slice("/rest/v1/".length);
  if (path !== "rpc/viewer_context" || request.method !== "POST") {
    return Response.json({ code: "PGRST202", message: `Could not find ${path}` }, { status: 404 });
  }
  if (!person) return Response.json(null);
  return Response.json({
    user_id: person.id,
    email: person.email,
    display_name: "",
    time_zone: "UTC",
    pending_email: null,
    membership: { role: "owner", organisation: { ...PERSONAL_ORG, plan: "free" } },
    memberships: [
      { role: "owner", organisation: { ...PERSONAL_ORG, plan: "free" } },
      ...(person.teamAdmin ? [{ role: "admin", organisation: { ...TEAM_ORG, plan: "free" } }] : []),
    ],
    platform_admin: person.platformAdmin,
    admin_org_ids: person.teamAdmin ? [TEAM_ORG.id] : [],
  });
}

async function signInAs(person: Person, key: CryptoKey = signingKey): Promise<string> {
  const { value, accessToken } = await sessionCookie(person, key, KID);
  cookieValues.set(STORAGE_KEY, value);
  return accessToken;
}

// --- requests ------------------------------------------------------------------------

type Call = (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(handler: Call, path: string, init: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; params?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const request = new NextRequest(`http://localhost:3000${path}`, {
    method: init.method ?? (init.json === undefined && init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
    duplex: "half",
  });
  return handler(request, { params: Promise.resolve(init.params ?? {}) });
}

/** A body that records whether anything read it. */
function watchedBody() {
  const watched = { read: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      watched.read = true;
      controller.enqueue(new TextEncoder().encode(JSON.stringify({ name: "x" })));
      controller.close();
    },
  }, { highWaterMark: 0 }); // pulled only when someone reads
  return { stream, watched };
}

const restCalls = () => calls.filter((url) => url.pathname.startsWith("/rest/v1/"));
const authCalls = () => calls.filter((url) => url.pathname.startsWith("/auth/v1/") && !url.pathname.endsWith("/jwks.json"));

// --- the tests -----------------------------------------------------------------------

describe("route() auth levels", () => {
  const whoAmI = () => route({}, ({ user }) => Response.json({ user }));
  const teamAdmin = () => route({ auth: "team-admin" }, ({ scope }) => Response.json({ orgIds: scope.orgIds, platformAdmin: scope.platformAdmin }));
  const platformAdmin = () => route({ auth: "platform-admin" }, ({ scope }) => Response.json({ platformAdmin: scope.platformAdmin }));

  it("answers a signed-out caller 401 on every authenticated level", async () => {
    for (const handler of [whoAmI(), teamAdmin(), platformAdmin()]) {
      const response = await call(handler, "/api/x");
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
    expect(restCalls()).toEqual([]);
  });

  it("gives a signed-in user's handler the verified session, without asking Supabase Auth", async () => {
    await signInAs(people.member);
    const response = await call(whoAmI(), "/api/x");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: { id: people.member.id, email: people.member.email } });
    expect(authCalls()).toEqual([]);
    // membership() was never asked for, so nothing was looked up.
    expect(restCalls()).toEqual([]);
  });

  it("refuses a session signed with another key", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    await signInAs(people.member, privateKey);
    expect((await call(whoAmI(), "/api/x")).status).toBe(401);
  });

  it("answers 404 to a user who administers nothing, at both admin levels", async () => {
    await signInAs(people.member);
    for (const handler of [teamAdmin(), platformAdmin()]) {
      const response = await call(handler, "/api/admin/x");
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: "Nothing here." } });
    }
  });

  it("gives a team admin their scope, and refuses them install-wide endpoints", async () => {
    await signInAs(people.teamAdmin);
    const ok = await call(teamAdmin(), "/api/admin/x");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ orgIds: [TEAM_ORG.id], platformAdmin: false });
    const refused = await call(platformAdmin(), "/api/admin/x");
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ error: { code: "not_found", message: "Nothing here." } });
  });

  it("lets a platform admin through both admin levels", async () => {
    await signInAs(people.operator);
    expect(await (await call(platformAdmin(), "/api/admin/x")).json()).toEqual({ platformAdmin: true });
    expect((await call(teamAdmin(), "/api/admin/x")).status).toBe(200);
  });

  it("looks the viewer up once per request, for the scope and however often membership() is asked", async () => {
    await signInAs(people.teamAdmin);
    const once = route({ auth: "team-admin" }, async ({ membership }) => Response.json(await membership()));
    const thrice = route({ auth: "team-admin" }, async ({ membership }) => {
      await Promise.all([membership(), membership()]);
      return Response.json(await membership());
    });
    const first = await call(once, "/api/admin/x");
    const membership = { role: "owner", organisation: { ...PERSONAL_ORG, plan: "free" } };
    expect(await first.json()).toEqual(membership);
    expect(restCalls().map((url) => url.pathname)).toEqual(["/rest/v1/rpc/viewer_context"]);
    calls = [];
    expect(await (await call(thrice, "/api/admin/x")).json()).toEqual(membership);
    expect(restCalls().map((url) => url.pathname)).toEqual(["/rest/v1/rpc/viewer_context"]);
  });

  it("serves a public route to a signed-out caller, with no session lookup and no default no-store", async () => {
    const response = await call(route({ auth: false }, () => Response.json({ ok: true })), "/api/x");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBeNull();
    expect(calls).toEqual([]);
  });
});

describe("route() reads the body only after authorization", () => {
  const body = z.object({ name: z.string() });

  it("never reads a signed-out caller's body", async () => {
    const { stream, watched } = watchedBody();
    const handler = route({ body }, () => Response.json({}));
    const response = await call(handler, "/api/x", { body: stream, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(401);
    expect(watched.read).toBe(false);
  });

  it("never reads the body of a user who may not use an admin endpoint", async () => {
    await signInAs(people.member);
    const { stream, watched } = watchedBody();
    const handler = route({ auth: "team-admin", body }, () => Response.json({}));
    const response = await call(handler, "/api/admin/x", { body: stream, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(404);
    expect(watched.read).toBe(false);
  });

  it("reads it for someone who may", async () => {
    await signInAs(people.teamAdmin);
    const { stream, watched } = watchedBody();
    const handler = route({ auth: "team-admin", body }, ({ body }) => Response.json(body));
    const response = await call(handler, "/api/admin/x", { body: stream, headers: { "content-type": "application/json" } });
    expect(await response.json()).toEqual({ name: "x" });
    expect(watched.read).toBe(true);
  });
});

describe("route() input errors", () => {
  const handler = () =>
    route(
      {
        auth: false,
        params: z.object({ id: z.uuid() }),
        query: z.object({ limit: z.coerce.number().int().min(1).max(100), type: z.string().optional() }),
        body: z.object({ name: z.string().min(1), tags: z.array(z.string()) }).strict(),
      },
      ({ params, query, body }) => Response.json({ params, query, body }),
    );
  const id = "00000000-0000-4000-8000-00000000abcd";

  it("passes the parsed params, query and body", async () => {
    const response = await call(handler(), "/api/x?limit=5", { json: { name: "a", tags: [] }, params: { id } });
    expect(await response.json()).toEqual({ params: { id }, query: { limit: 5 }, body: { name: "a", tags: [] } });
  });

  it("answers 404 for route segments that name nothing", async () => {
    const response = await call(handler(), "/api/x?limit=5", { json: { name: "a", tags: [] }, params: { id: "nope" } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "Nothing here." } });
  });

  it("names the query parameters in error, in the one field format", async () => {
    const bad = await call(handler(), "/api/x?limit=0", { json: { name: "a", tags: [] }, params: { id } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: "invalid_request", message: "Check these fields: limit.", fields: { limit: expect.any(String) } },
    });
    const twice = await call(handler(), "/api/x?limit=1&type=a&type=b", { json: { name: "a", tags: [] }, params: { id } });
    expect(await twice.json()).toEqual({
      error: { code: "invalid_request", message: "Check these fields: type.", fields: { type: "Give type once, not 2 times." } },
    });
  });

  it("names the body's fields in error, in the same format, nested paths joined with dots", async () => {
    const response = await call(handler(), "/api/x?limit=1", { json: { name: "", tags: [1] }, params: { id } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_request", message: "Check these fields: name, tags.0.", fields: { name: expect.any(String), "tags.0": expect.any(String) } },
    });
  });

  it("checks the query before reading the body", async () => {
    const { stream, watched } = watchedBody();
    const response = await call(handler(), "/api/x?limit=x", { body: stream, headers: { "content-type": "application/json" }, params: { id } });
    expect(response.status).toBe(400);
    expect(watched.read).toBe(false);
  });

  it("refuses a body that isn't JSON", async () => {
    const notJson = await call(handler(), "/api/x?limit=1", { body: "{", headers: { "content-type": "application/json" }, params: { id } });
    expect(await notJson.json()).toEqual({ error: { code: "invalid_json", message: "The request body is not valid JSON." } });
    const form = await call(handler(), "/api/x?limit=1", { body: "name=a", headers: { "content-type": "application/x-www-form-urlencoded" }, params: { id } });
    expect(form.status).toBe(415);
  });
});

describe("route() answers", () => {
  it("marks an authenticated route's answers no-store, unless the handler chose its own caching", async () => {
    await signInAs(people.member);
    const plain = await call(route({}, () => Response.json({ ok: true })), "/api/x");
    expect(plain.headers.get("cache-control")).toBe("no-store");
    const own = await call(route({}, () => Response.json({ ok: true }, { headers: { "Cache-Control": "private, max-age=60" } })), "/api/x");
    expect(own.headers.get("cache-control")).toBe("private, max-age=60");
    const redirect = await call(route({}, () => Response.redirect("http://localhost:3000/elsewhere", 303)), "/api/x");
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("cache-control")).toBe("no-store");
  });

  it("answers a thrown HttpError with its status, headers, and the extras it documents beside error", async () => {
    const handler = route({ auth: false }, () => {
      throw new HttpError(409, "selection_changed", "It changed.", undefined, { "Retry-After": "3" }, { preview: { count: 2 } });
    });
    const response = await call(handler, "/api/x");
    expect(response.status).toBe(409);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(await response.json()).toEqual({ error: { code: "selection_changed", message: "It changed." }, preview: { count: 2 } });
  });

  it("answers anything else thrown with a generic 500 that gives nothing away", async () => {
    const logged = vi.spyOn(log(), "error").mockImplementation(() => {});
    try {
      const response = await call(route({ auth: false }, () => { throw new Error("password=hunter2"); }), "/api/x");
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side. Please try again." } });
      expect(text).not.toContain("hunter2");
      // The stack for the operator, once, and the request line (a 5xx is an error too).
      expect(logged).toHaveBeenCalledTimes(2);
    } finally {
      logged.mockRestore();
    }
  });

  it("refuses a cross-site POST before anything else", async () => {
    const { stream, watched } = watchedBody();
    const handler = route({ auth: false, body: z.object({ name: z.string() }) }, () => Response.json({}));
    const response = await call(handler, "/api/x", { body: stream, headers: { "content-type": "application/json", origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "cross_site_request" } });
    expect(watched.read).toBe(false);
  });
});

describe("route() bearer chosen by the query", () => {
  const SECRET = "s".repeat(40);
  let secret: string | undefined;
  const handler = () =>
    route(
      { auth: false, query: z.object({ deep: z.literal("1").optional() }), bearer: ({ deep }) => (deep ? secret : false) },
      ({ query }) => Response.json({ deep: query.deep ?? null }),
    );

  it("asks for the token only when the query says so, and is off without a secret", async () => {
    secret = SECRET;
    expect(await (await call(handler(), "/api/health")).json()).toEqual({ deep: null });
    const anonymous = await call(handler(), "/api/health?deep=1");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    const authorized = await call(handler(), "/api/health?deep=1", { headers: { authorization: `Bearer ${SECRET}` } });
    expect(await authorized.json()).toEqual({ deep: "1" });
    expect((await call(handler(), "/api/health?deep=yes")).status).toBe(400);
    secret = undefined;
    expect((await call(handler(), "/api/health?deep=1", { headers: { authorization: `Bearer ${SECRET}` } })).status).toBe(404);
  });
});
