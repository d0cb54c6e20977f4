import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { combineChunks, createChunks, createServerClient, stringFromBase64URL, stringToBase64URL } from "@supabase/ssr";
import { createClient, type Session } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LOCAL_JWT_SECRET, LOCAL_PUBLISHABLE_KEY, localSigningKey } from "@/devstack/supabase/keys";
import { AuthUnavailableError, getSessionUser } from "@/lib/auth/session";
import type { Database } from "@/lib/supabase/database.types";
import { countingFetch } from "../support/counting-fetch";
import { startAppStack, type AppStack } from "../support/app-stack";
import { freePort } from "../support/free-port";
import { signUpThroughApp, type ApiClient } from "../support/http";

/**
 * Sessions are verified locally: the access token's signature against the project's JWKS
 * (auth-js GoTrueClient.getClaims, which fetches /auth/v1/.well-known/jwks.json once per
 * storage key and process, for 10 minutes), its expiry against the clock. What doesn't
 * verify is refused without asking the Auth server, and the app answers 401 to it.
 */

type Cookie = { name: string; value: string };

const REFUSED = [
  "a forged token (claims changed, signature kept)",
  "an expired token signed with the project's key",
  "a token signed by a foreign ES256 key with the same kid",
  "an unsigned token (alg none)",
  "an HS256 token signed with the legacy JWT secret",
  "an RS256 header naming the EC key",
] as const;
type Refused = (typeof REFUSED)[number];
/** The ones getClaims itself refuses locally; the others it would send to the Auth server or throw on. */
const REFUSED_BY_GET_CLAIMS = REFUSED.slice(0, 3);

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");
const decodePart = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

/** A JWT from a header and claims, signed as `signer` says (or not at all). */
function jwt(header: object, claims: object, signer: (input: string) => Buffer | string): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(signer(input))}`;
}
const es256 = (key: KeyObject) => (input: string) => sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
const hs256 = (secret: string) => (input: string) => createHmac("sha256", secret).update(input).digest();

/** @supabase/ssr's session cookie: `base64-` + base64url(JSON), in chunks. */
const cookieName = (cookies: Cookie[]) => {
  const name = cookies.map((c) => c.name.replace(/\.\d+$/, "")).find((n) => /^sb-.+-auth-token$/.test(n));
  if (!name) throw new Error(`no session cookie among ${cookies.map((c) => c.name).join(", ")}`);
  return name;
};
async function readSession(cookies: Cookie[]): Promise<Session> {
  const name = cookieName(cookies);
  const value = await combineChunks(name, (chunk) => cookies.find((c) => c.name === chunk)?.value);
  if (!value?.startsWith("base64-")) throw new Error("the session cookie isn't base64-encoded");
  return JSON.parse(stringFromBase64URL(value.slice("base64-".length))) as Session;
}
const sessionCookies = (name: string, session: Session): Cookie[] =>
  createChunks(name, `base64-${stringToBase64URL(JSON.stringify(session))}`);

const parseCookieHeader = (header: string): Cookie[] =>
  header.split("; ").map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1) }));
const cookieHeader = (cookies: Cookie[]) => cookies.map((c) => `${c.name}=${c.value}`).join("; ");

/** A request's client, as the app makes one: the session from cookies, its calls counted. */
function requestClient(cookies: Cookie[]) {
  const counted = countingFetch();
  const written: Cookie[] = [];
  const client = createServerClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
    cookies: { getAll: () => cookies, setAll: (set) => void written.push(...set) },
    global: { fetch: counted.fetch },
  });
  return { client, calls: counted.calls, written };
}

describe(`sessions verified locally (${inject("database")})`, () => {
  let stack: AppStack;
  let alice: ApiClient;
  let bob: ApiClient;
  let name: string;
  let real: Session;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    stack = await startAppStack();
    [alice, bob] = await Promise.all([signUpThroughApp(stack.app.url, "Alice"), signUpThroughApp(stack.app.url, "Bob")]);
    const cookies = parseCookieHeader(alice.cookieHeader());
    name = cookieName(cookies);
    real = await readSession(cookies);
    const [headerPart = "", claimsPart = ""] = real.access_token.split(".");
    header = decodePart(headerPart);
    claims = decodePart(claimsPart);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  /** The real session with another access token, as an attacker would put in the cookie. */
  const withToken = (access_token: string): Session => ({ ...real, access_token, expires_at: now() + 3600 });

  /** Tokens that must not verify, each with what is wrong with it. */
  const refused = (): Record<Refused, string> => {
    const [headerPart, , signature] = real.access_token.split(".");
    const foreign = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const devstackKey = createPrivateKey({ key: localSigningKey(), format: "jwk" });
    return {
      "a forged token (claims changed, signature kept)": `${headerPart}.${b64url(JSON.stringify({ ...claims, sub: bob.userId, email: bob.email }))}.${signature}`,
      "an expired token signed with the project's key": jwt(header, { ...claims, iat: now() - 7200, exp: now() - 3600 }, es256(devstackKey)),
      "a token signed by a foreign ES256 key with the same kid": jwt(header, { ...claims, exp: now() + 3600 }, es256(foreign)),
      "an unsigned token (alg none)": jwt({ ...header, alg: "none" }, { ...claims, exp: now() + 3600 }, () => ""),
      "an HS256 token signed with the legacy JWT secret": jwt({ alg: "HS256", typ: "JWT" }, { ...claims, exp: now() + 3600 }, hs256(LOCAL_JWT_SECRET)),
      "an RS256 header naming the EC key": jwt({ ...header, alg: "RS256" }, { ...claims, exp: now() + 3600 }, es256(devstackKey)),
    };
  };

  // First in the file: nothing has fetched the JWKS in this process yet.
  it("verifies a real session with no request to the Auth server: the JWKS once, then nothing", async () => {
    const cookies = sessionCookies(name, real);
    const first = requestClient(cookies);
    expect(await getSessionUser(first.client)).toEqual({ id: alice.userId, email: alice.email });
    expect(first.calls).toEqual(["GET /auth/v1/.well-known/jwks.json"]);
    // Each request makes a new client; auth-js keeps the JWKS per storage key, not per client.
    for (let request = 0; request < 5; request++) {
      const next = requestClient(cookies);
      expect(await getSessionUser(next.client)).toEqual({ id: alice.userId, email: alice.email });
      expect(next.calls).toEqual([]);
    }
  });

  it("is null with no session, asking nothing", async () => {
    const { client, calls } = requestClient([]);
    expect(await getSessionUser(client)).toBeNull();
    expect(calls).toEqual([]);
  });

  it.each(REFUSED)("refuses %s locally", async (what) => {
    const { client, calls } = requestClient(sessionCookies(name, withToken(refused()[what])));
    expect(await getSessionUser(client)).toBeNull();
    expect(calls).toEqual([]);
  });

  it.each(REFUSED_BY_GET_CLAIMS)(
    "refuses %s in getClaims itself, without GET /user",
    async (what) => {
      const counted = countingFetch();
      const client = createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: { fetch: counted.fetch },
      });
      const { data, error } = await client.auth.getClaims(refused()[what]);
      expect(data).toBeNull();
      expect(error?.name).toBe("AuthInvalidJwtError");
      expect(counted.calls.filter((call) => call !== "GET /auth/v1/.well-known/jwks.json")).toEqual([]);
    },
  );

  // Why getSessionUser checks the header first: auth-js sends HS* tokens to GET /user, and
  // Auth still trusts the legacy secret (as hosted projects do until it is revoked).
  it("doesn't let an HS256 token reach the Auth server, which would accept it", async () => {
    const token = refused()["an HS256 token signed with the legacy JWT secret"];
    const counted = countingFetch();
    const client = createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { fetch: counted.fetch },
    });
    const { data } = await client.auth.getClaims(token);
    expect(counted.calls).toEqual(["GET /auth/v1/user"]);
    expect(data?.claims.sub).toBe(alice.userId);
  });

  it("refreshes an expired access token with its refresh token, the one call it makes", async () => {
    // A fresh session of Alice's, so the refresh doesn't spend the one the app's tests use.
    const signedIn = await createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
    }).auth.signInWithPassword({ email: alice.email, password: "correct horse battery" });
    if (!signedIn.data.session) throw new Error(`sign-in failed: ${signedIn.error?.message}`);
    const expired = { ...signedIn.data.session, expires_at: now() - 60 };
    const { client, calls, written } = requestClient(sessionCookies(name, expired));
    expect(await getSessionUser(client)).toEqual({ id: alice.userId, email: alice.email });
    expect(calls).toEqual(["POST /auth/v1/token"]);
    // The new session goes back to the browser through setAll.
    const renewed = await readSession(written.filter((cookie) => cookie.value !== ""));
    expect(renewed.access_token).not.toBe(expired.access_token);
  });

  it("is null when an expired token's refresh token is spent", async () => {
    const spent = { ...withToken(refused()["an expired token signed with the project's key"]), refresh_token: "spent", expires_at: now() - 60 };
    const { client, calls } = requestClient(sessionCookies(name, spent));
    expect(await getSessionUser(client)).toBeNull();
    expect(calls).toEqual(["POST /auth/v1/token"]);
  });

  it("fails, rather than reading as signed out, when the JWKS can't be fetched", async () => {
    // Nothing listens there: Auth is down. A cookie name of its own keeps auth-js's JWKS
    // cache (per storage key) cold, as in a freshly started server.
    const down = `http://127.0.0.1:${await freePort()}`;
    const offlineCookie = "sb-offline-auth-token";
    const client = createServerClient<Database>(down, LOCAL_PUBLISHABLE_KEY, {
      cookieOptions: { name: offlineCookie },
      cookies: { getAll: () => sessionCookies(offlineCookie, withToken(real.access_token)), setAll: () => {} },
    });
    await expect(getSessionUser(client)).rejects.toBeInstanceOf(AuthUnavailableError);
  });

  it.each(REFUSED)("the app sends a page request with %s to sign in", async (what) => {
    const cookie = cookieHeader(sessionCookies(name, withToken(refused()[what])));
    const page = await fetch(`${stack.app.url}/dashboard`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/sign-in");
  }, 60_000);

  it.each(REFUSED)("the app's API answers 401 to %s", async (what) => {
    const cookie = cookieHeader(sessionCookies(name, withToken(refused()[what])));
    const api = await fetch(`${stack.app.url}/api/jobs`, { headers: { cookie } });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: { code: "unauthorized" } });
  }, 60_000);

  it("lets the real session through the same doors", async () => {
    const cookie = cookieHeader(sessionCookies(name, real));
    expect((await fetch(`${stack.app.url}/api/jobs`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${stack.app.url}/dashboard`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
  }, 60_000);
});
