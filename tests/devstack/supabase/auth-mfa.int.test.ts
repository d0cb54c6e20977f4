import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { prepareDatabase, type PreparedDatabase } from "@/devstack/supabase/server";
import { createTestDatabase, type TestDatabase } from "../../support/databases";
import { latestAuthLink } from "../../support/auth-mail";
import { signUpUser } from "../../support/supabase";
import { sql } from "../../support/sql";

/**
 * TOTP multi-factor authentication as GoTrue serves it (internal/api/mfa.go; routes in
 * internal/api/api.go; tables in internal/models/factor.go, challenge.go), called the way
 * supabase-js's auth.mfa does (GoTrueClient `_enroll`, `_challenge`, `_verify`,
 * `_unenroll`, `_listFactors`, `_getAuthenticatorAssuranceLevel`). Codes are computed here
 * with the `otpauth` library (RFC 6238), as an authenticator app would.
 * Fixed by patches/supabase-lite-auth-mfa-totp.mjs.
 */

// Untyped: the tables and functions the RLS case makes are the test's own.
const signedOutClient = (): SupabaseClient =>
  createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });

async function signedIn(email: string, password: string): Promise<SupabaseClient> {
  const client = signedOutClient();
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return client;
}

const claimsSchema = z.object({
  aal: z.string(),
  amr: z.array(z.object({ method: z.string(), timestamp: z.number() })),
  session_id: z.string(),
});

/** The access token's claims (what getAuthenticatorAssuranceLevel reads). */
async function claimsOf(client: SupabaseClient) {
  const { data } = await client.auth.getSession();
  const token = data.session?.access_token ?? "";
  return claimsSchema.parse(JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")));
}

const codeFor = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

/** A code for the secret that is none of the ones GoTrue accepts now (±1 step). */
function wrongCodeFor(secret: string): string {
  const accepted = new Set([-1, 0, 1].map((step) => codeFor(secret, step)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, "0");
    if (!accepted.has(candidate)) return candidate;
  }
}

const errorSchema = z.object({ code: z.number(), error_code: z.string(), msg: z.string() });

/** GoTrue's error answer: the status, and the body `{ code, error_code, msg }`. */
function expectAuthError(answer: { status: number; body: unknown }, status: number, errorCode: string, msg: string) {
  expect(answer.status).toBe(status);
  expect(errorSchema.parse(answer.body)).toEqual({ code: status, error_code: errorCode, msg });
}

/** A raw Auth API call with the client's session, for status and body as GoTrue sends them. */
async function authCall(client: SupabaseClient, method: string, path: string, body?: unknown) {
  const { data } = await client.auth.getSession();
  const response = await fetch(`${inject("supabaseUrl")}/auth/v1${path}`, {
    method,
    headers: {
      apikey: LOCAL_PUBLISHABLE_KEY,
      authorization: `Bearer ${data.session?.access_token ?? ""}`,
      "content-type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as unknown };
}

async function enrolled(client: SupabaseClient, friendlyName = `Phone ${randomUUID().slice(0, 8)}`) {
  const { data, error } = await client.auth.mfa.enroll({ factorType: "totp", friendlyName });
  if (error) throw error;
  return data;
}

/** Enrolls and verifies a TOTP factor: the client's session is then aal2. */
async function withVerifiedFactor(client: SupabaseClient) {
  const factor = await enrolled(client);
  const { error } = await client.auth.mfa.challengeAndVerify({ factorId: factor.id, code: codeFor(factor.totp.secret) });
  if (error) throw error;
  return factor;
}

describe("Auth TOTP MFA answers as GoTrue does", () => {
  let email: string;
  let password: string;

  beforeAll(async () => {
    ({ email, password } = await signUpUser("MFA"));
  });

  it("enrolls a TOTP factor: id, type, friendly name, secret, otpauth URI and an SVG QR code", async () => {
    const { email } = await signUpUser("MFA enroll");
    const client = await signedIn(email, password);
    const { data, error } = await client.auth.mfa.enroll({ factorType: "totp", friendlyName: "My phone", issuer: "Offload" });
    expect(error).toBeNull();
    expect(data?.type).toBe("totp");
    expect(data?.friendly_name).toBe("My phone");
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    // pquerna/otp's key: 20 random bytes in unpadded base32; its URL, query keys sorted.
    expect(data?.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(data?.totp.uri).toBe(`otpauth://totp/Offload:${email}?algorithm=SHA1&digits=6&issuer=Offload&period=30&secret=${data?.totp.secret}`);
    // GoTrue sends the SVG itself; supabase-js makes it a data URI.
    expect(data?.totp.qr_code).toMatch(/^data:image\/svg\+xml;utf-8,<svg[\s\S]*<\/svg>\s*$/);

    // Unverified: in the user's factors (listFactors' `all`), not yet in `totp`.
    const listed = await client.auth.mfa.listFactors();
    expect(listed.data?.all).toEqual([
      expect.objectContaining({ id: data?.id, friendly_name: "My phone", factor_type: "totp", status: "unverified" }),
    ]);
    expect(listed.data?.totp).toEqual([]);
  });

  it("defaults the issuer to the site URL's host", async () => {
    const client = await signedIn((await signUpUser("MFA issuer")).email, password);
    const factor = await enrolled(client);
    expect(new URL(factor.totp.uri).searchParams.get("issuer")).toBe("localhost:3000");
  });

  it("challenges a factor: {id, type, expires_at} five minutes on", async () => {
    const client = await signedIn((await signUpUser("MFA challenge")).email, password);
    const factor = await enrolled(client);
    const before = Math.floor(Date.now() / 1000);
    const { data, error } = await client.auth.mfa.challenge({ factorId: factor.id });
    const after = Math.floor(Date.now() / 1000);
    expect(error).toBeNull();
    expect(data).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: "totp", expires_at: expect.any(Number) });
    expect(data?.expires_at).toBeGreaterThanOrEqual(before + 300);
    expect(data?.expires_at).toBeLessThanOrEqual(after + 300);
  });

  it("verifies a code: a new session at aal2 with totp in amr; the factor is verified", async () => {
    const client = await signedIn((await signUpUser("MFA verify")).email, password);
    const factor = await enrolled(client);
    const aal1 = await claimsOf(client);
    expect(aal1.aal).toBe("aal1");
    expect(aal1.amr.map((entry) => entry.method)).toEqual(["password"]);
    expect((await client.auth.mfa.getAuthenticatorAssuranceLevel()).data).toMatchObject({ currentLevel: "aal1", nextLevel: "aal1" });

    const aal1RefreshToken = (await client.auth.getSession()).data.session?.refresh_token;
    const challenge = await client.auth.mfa.challenge({ factorId: factor.id });
    const verified = await client.auth.mfa.verify({
      factorId: factor.id,
      challengeId: challenge.data?.id ?? "",
      code: codeFor(factor.totp.secret),
    });
    expect(verified.error).toBeNull();
    expect(verified.data?.refresh_token).not.toBe(aal1RefreshToken);
    const aal2 = await claimsOf(client);
    expect(aal2.aal).toBe("aal2");
    expect(aal2.session_id).toBe(aal1.session_id);
    expect(aal2.amr.map((entry) => entry.method)).toContain("totp");
    expect(aal2.amr.map((entry) => entry.method)).toContain("password");
    expect(verified.data?.user.factors).toEqual([expect.objectContaining({ id: factor.id, status: "verified" })]);

    const assurance = await client.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(assurance.data).toMatchObject({ currentLevel: "aal2", nextLevel: "aal2" });
    const methods = assurance.data?.currentAuthenticationMethods.map((entry) => (typeof entry === "string" ? entry : entry.method));
    expect(methods).toContain("totp");
    const listed = await client.auth.mfa.listFactors();
    expect(listed.data?.totp.map((f) => f.id)).toEqual([factor.id]);

    // A refreshed token keeps the session's level.
    const refreshed = await client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect((await claimsOf(client)).aal).toBe("aal2");
  });

  it("records how the session began as its first amr entry: otp for an emailed link", async () => {
    const address = `user-${randomUUID()}@example.com`;
    const client = signedOutClient();
    const signedUp = await client.auth.signUp({ email: address, password });
    expect(signedUp.error).toBeNull();
    const tokenHash = (await latestAuthLink(address)).searchParams.get("token_hash") ?? "";
    const confirmed = await client.auth.verifyOtp({ type: "email", token_hash: tokenHash });
    expect(confirmed.error).toBeNull();
    const claims = await claimsOf(client);
    expect(claims.aal).toBe("aal1");
    expect(claims.amr.map((entry) => entry.method)).toEqual(["otp"]);
  });

  it("signs in at aal1 with aal2 next once a factor is verified", async () => {
    const user = await signUpUser("MFA next level");
    const first = await signedIn(user.email, password);
    await withVerifiedFactor(first);
    const again = await signedIn(user.email, password);
    expect((await again.auth.mfa.getAuthenticatorAssuranceLevel()).data).toMatchObject({
      currentLevel: "aal1",
      nextLevel: "aal2",
    });
  });

  it("refuses a wrong code with 422 mfa_verification_failed", async () => {
    const client = await signedIn(email, password);
    const factor = await enrolled(client);
    const challenge = await client.auth.mfa.challenge({ factorId: factor.id });
    const answer = await authCall(client, "POST", `/factors/${factor.id}/verify`, {
      challenge_id: challenge.data?.id,
      code: wrongCodeFor(factor.totp.secret),
    });
    expect(answer.status).toBe(422);
    expect(answer.type).toMatch(/^application\/json/);
    expect(errorSchema.parse(answer.body)).toEqual({
      code: 422,
      error_code: "mfa_verification_failed",
      msg: "Invalid TOTP code entered",
    });
    const viaClient = await client.auth.mfa.verify({ factorId: factor.id, challengeId: challenge.data?.id ?? "", code: wrongCodeFor(factor.totp.secret) });
    expect(viaClient.error?.code).toBe("mfa_verification_failed");
  });

  it("refuses an expired challenge with 422 mfa_challenge_expired", async () => {
    const client = await signedIn(email, password);
    const factor = await enrolled(client);
    const challenge = await client.auth.mfa.challenge({ factorId: factor.id });
    const id = challenge.data?.id ?? "";
    await sql("update auth.mfa_challenges set created_at = now() - interval '301 seconds' where id = $1", [id]);
    const answer = await authCall(client, "POST", `/factors/${factor.id}/verify`, { challenge_id: id, code: codeFor(factor.totp.secret) });
    expectAuthError(answer, 422, "mfa_challenge_expired", `MFA challenge ${id} has expired, verify against another challenge or create a new challenge.`);
  });

  it("refuses a second factor with the same friendly name: 422 mfa_factor_name_conflict", async () => {
    const client = await signedIn(email, password);
    const name = `Twin ${randomUUID().slice(0, 8)}`;
    await enrolled(client, name);
    const answer = await authCall(client, "POST", "/factors", { factor_type: "totp", friendly_name: name });
    expectAuthError(answer, 422, "mfa_factor_name_conflict", `A factor with the friendly name "${name}" for this user already exists`);
  });

  it("refuses an eleventh factor with 422 too_many_enrolled_mfa_factors", async () => {
    const client = await signedIn((await signUpUser("MFA many")).email, password);
    for (let n = 0; n < 10; n++) await enrolled(client, `Factor ${n}`);
    const answer = await authCall(client, "POST", "/factors", { factor_type: "totp", friendly_name: "Factor 10" });
    expectAuthError(answer, 422, "too_many_enrolled_mfa_factors", "Maximum number of verified factors reached, unenroll to continue");
  });

  it("refuses a new factor from an aal1 session once one is verified: 403 insufficient_aal", async () => {
    const user = await signUpUser("MFA step-up");
    await withVerifiedFactor(await signedIn(user.email, password));
    const aal1 = await signedIn(user.email, password);
    const answer = await authCall(aal1, "POST", "/factors", { factor_type: "totp", friendly_name: "Second" });
    expectAuthError(answer, 403, "insufficient_aal", "AAL2 required to enroll a new factor");
  });

  it("refuses a challenge used once already with 422 mfa_ip_address_mismatch", async () => {
    const client = await signedIn((await signUpUser("MFA reuse")).email, password);
    const factor = await enrolled(client);
    const challenge = await client.auth.mfa.challenge({ factorId: factor.id });
    const body = { challenge_id: challenge.data?.id, code: codeFor(factor.totp.secret) };
    expect((await authCall(client, "POST", `/factors/${factor.id}/verify`, body)).status).toBe(200);
    const again = await authCall(client, "POST", `/factors/${factor.id}/verify`, body);
    expectAuthError(again, 422, "mfa_ip_address_mismatch", "Challenge and verify IP addresses mismatch.");
  });

  it("answers an unknown factor with 404 mfa_factor_not_found and a bad type with 400", async () => {
    const client = await signedIn(email, password);
    const unknown = await authCall(client, "POST", `/factors/${randomUUID()}/challenge`);
    expect(unknown.status).toBe(404);
    expect(errorSchema.parse(unknown.body)).toEqual({ code: 404, error_code: "mfa_factor_not_found", msg: "Factor not found" });
    const badType = await authCall(client, "POST", "/factors", { factor_type: "sms" });
    expect(badType.status).toBe(400);
    expect(errorSchema.parse(badType.body)).toMatchObject({
      error_code: "validation_failed",
      msg: "factor_type needs to be totp, phone, or webauthn",
    });
  });

  it("unenrolls: a verified factor needs aal2, then the session falls back to aal1", async () => {
    const user = await signUpUser("MFA unenroll");
    const aal2 = await signedIn(user.email, password);
    const factor = await withVerifiedFactor(aal2);
    const aal1 = await signedIn(user.email, password);

    const refused = await authCall(aal1, "DELETE", `/factors/${factor.id}`);
    expectAuthError(refused, 422, "insufficient_aal", "AAL2 required to unenroll verified factor");

    const removed = await aal2.auth.mfa.unenroll({ factorId: factor.id });
    expect(removed.error).toBeNull();
    expect(removed.data).toEqual({ id: factor.id });
    expect((await aal2.auth.mfa.listFactors()).data?.all).toEqual([]);
    const { data } = await aal2.auth.getUser();
    expect(data.user?.factors).toBeUndefined();
    await aal2.auth.refreshSession();
    const claims = await claimsOf(aal2);
    expect(claims.aal).toBe("aal1");
    expect(claims.amr.map((entry) => entry.method)).not.toContain("totp");
  });

  it("lists and deletes a user's factors through the admin API, with the secret key only", async () => {
    const user = await signUpUser("MFA admin");
    const client = await signedIn(user.email, password);
    const factor = await withVerifiedFactor(client);
    const admin = createClient(inject("supabaseUrl"), LOCAL_SECRET_KEY, { auth: { persistSession: false, autoRefreshToken: false } });

    const listed = await admin.auth.admin.mfa.listFactors({ userId: user.id });
    expect(listed.error).toBeNull();
    expect(listed.data?.factors).toEqual([expect.objectContaining({ id: factor.id, factor_type: "totp", status: "verified" })]);

    const refused = await client.auth.admin.mfa.listFactors({ userId: user.id });
    expect(refused.error).toMatchObject({ status: 403, code: "not_admin" });

    const unknown = await admin.auth.admin.mfa.deleteFactor({ userId: user.id, id: randomUUID() });
    expect(unknown.error).toMatchObject({ status: 404, code: "mfa_factor_not_found" });
    const deleted = await admin.auth.admin.mfa.deleteFactor({ userId: user.id, id: factor.id });
    expect(deleted.error).toBeNull();
    expect((await admin.auth.admin.mfa.listFactors({ userId: user.id })).data?.factors).toEqual([]);
    // The session that reached aal2 with it is back at aal1.
    await client.auth.refreshSession();
    expect((await claimsOf(client)).aal).toBe("aal1");
  });

  it("puts aal in the JWT SQL sees, so a policy can require aal2", async () => {
    const table = `mfa_guarded_${randomUUID().slice(0, 8)}`;
    const statements = [
      `create table public.${table} (id int primary key)`,
      `alter table public.${table} owner to migration_owner`,
      `alter table public.${table} enable row level security`,
      `create policy "aal2 only" on public.${table} for select to authenticated using ((select auth.jwt()->>'aal') = 'aal2')`,
      `grant select on public.${table} to authenticated`,
      `insert into public.${table} values (1)`,
    ];
    for (const statement of statements) await sql(statement);
    const client = await signedIn((await signUpUser("MFA policy")).email, password);
    const before = await client.from(table).select("id");
    expect(before.error).toBeNull();
    expect(before.data).toEqual([]);
    await withVerifiedFactor(client);
    const after = await client.from(table).select("id");
    expect(after.error).toBeNull();
    expect(after.data).toEqual([{ id: 1 }]);
  });
});

describe("Auth TOTP MFA follows config.toml's [auth.mfa.totp]", () => {
  let dir: string;
  let database: TestDatabase;
  let stack: PreparedDatabase;

  /** A call to this stack's Auth API, answered in process. */
  const call = async (method: string, route: string, body: unknown, token?: string) => {
    const response = await stack.fetch(
      new Request(`http://localhost/auth/v1${route}`, {
        method,
        headers: {
          apikey: LOCAL_PUBLISHABLE_KEY,
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }),
      { peerAddress: "127.0.0.1" },
    );
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    // A project of its own with TOTP turned off, as `[auth.mfa.totp]` in its config.toml.
    dir = await mkdtemp(path.join(tmpdir(), "offload-mfa-"));
    await mkdir(path.join(dir, "migrations"));
    await writeFile(
      path.join(dir, "config.toml"),
      "[auth]\nsite_url = \"http://localhost:3000\"\n\n[auth.mfa.totp]\nenroll_enabled = false\nverify_enabled = false\n",
    );
    await writeFile(path.join(dir, "seed.sql"), "");
    database = await createTestDatabase(inject("database"));
    stack = await prepareDatabase({ projectDir: dir, ...(database.databaseUrl && { databaseUrl: database.databaseUrl }) });
  });

  afterAll(async () => {
    await stack.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses enrolment with mfa_totp_enroll_not_enabled and challenges with mfa_totp_verify_not_enabled", async () => {
    const signedUp = await call("POST", "/signup", { email: `user-${randomUUID()}@example.com`, password: "correct horse battery" });
    const session = z.object({ access_token: z.string(), user: z.object({ id: z.string() }) }).parse(signedUp.body);

    const enroll = await call("POST", "/factors", { factor_type: "totp", friendly_name: "Phone" }, session.access_token);
    expectAuthError(enroll, 422, "mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP");

    // A factor enrolled while TOTP was on.
    const factorId = randomUUID();
    await stack.query(
      `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, secret, created_at, updated_at)
       values ($1, $2, 'Phone', 'totp', 'verified', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', now(), now())`,
      [factorId, session.user.id],
    );
    const challenge = await call("POST", `/factors/${factorId}/challenge`, {}, session.access_token);
    expectAuthError(challenge, 422, "mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP");
  });
});
