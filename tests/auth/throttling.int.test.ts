import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AppProcess } from "../support/app";
import { startAppStack, type AppStack } from "../support/app-stack";
import { authEmailsTo } from "../support/auth-mail";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { sql } from "../support/sql";
import { anonClient, signUpUser } from "../support/supabase";

/**
 * Sign-in, sign-up and Auth's emails, throttled per client IP and per address, and
 * answering alike whether or not the address has an account. The app runs with low limits
 * over a 30 s window. It runs without a proxy in front, so X-Forwarded-For is the client's
 * own claim (see lib/rate-limit/client-ip.ts): each test speaks from addresses of its own
 * (TEST-NET-3, RFC 5737), as different clients would.
 * Expected answers: RFC 6585 (429) and RFC 9110 (Retry-After in seconds).
 */
const limits = {
  AUTH_RATE_LIMIT_WINDOW_SECONDS: "30",
  AUTH_SIGN_IN_LIMIT_PER_EMAIL: "3",
  AUTH_SIGN_IN_LIMIT_PER_IP: "6",
  AUTH_SIGN_UP_LIMIT_PER_IP: "4",
  AUTH_EMAIL_LIMIT_PER_ADDRESS: "5",
  AUTH_EMAIL_LIMIT_PER_IP: "10",
  AUTH_MIN_RESPONSE_MS: "50",
};

describe(`auth throttling and answers (${inject("database")})`, () => {
  const password = "correct horse battery";
  let stack: AppStack;
  let app: AppProcess;
  let nextIp = 1;
  /** An address no other request in this file came from. */
  const newIp = () => `203.0.113.${nextIp++}`;

  beforeAll(async () => {
    stack = await startAppStack({ env: limits });
    app = stack.app;
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const post = async (path: string, body: unknown, ip: string) => {
    const response = await fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as unknown };
  };
  const signIn = (email: string, pass: string, ip: string) => post("/api/auth/sign-in", { email, password: pass }, ip);
  const confirmedUser = (): Promise<ApiClient> => signUpThroughApp(app.url, "Throttled", { headers: { "x-forwarded-for": newIp() } });
  const unknownAddress = () => `nobody-${randomUUID()}@example.com`;

  function expectThrottled(answer: Awaited<ReturnType<typeof post>>, message: RegExp) {
    expect(answer.status).toBe(429);
    const retryAfter = Number(answer.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(answer.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(message) } });
    expect((answer.body as { error: { message: string } }).error.message).toContain(`${retryAfter} second`);
  }

  it("refuses an address's sign-ins after too many wrong passwords, from any IP, and lets the owner in after", async () => {
    const owner = await confirmedUser();
    const guesser = newIp();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await signIn(owner.email, `wrong guess ${attempt}`, guesser)).status).toBe(401);
    }
    // Even the right password waits: the limit is on the address, so it holds from anywhere.
    expectThrottled(await signIn(owner.email, password, guesser), /^Too many sign-in attempts\. Wait /);
    expectThrottled(await signIn(owner.email, password, newIp()), /^Too many sign-in attempts\. Wait /);

    // The bucket refills one attempt every 10 s (3 per 30 s); refused attempts cost the
    // address nothing, so the owner trying again gets in as soon as there is one.
    await expect.poll(async () => (await signIn(owner.email, password, newIp())).status, { timeout: 25_000, interval: 2_000 }).toBe(200);
  }, 60_000);

  it("counts only failed sign-ins against an address", async () => {
    const user = await confirmedUser();
    const ip = newIp();
    for (let attempt = 0; attempt < 5; attempt++) expect((await signIn(user.email, password, ip)).status).toBe(200);
    // Five successes over a limit of three, and a wrong password is still just wrong.
    expect((await signIn(user.email, "not the password", ip)).status).toBe(401);
  });

  it("refuses one IP trying many addresses, and answers an unknown address's flood as a known one's", async () => {
    const sprayer = newIp();
    for (let attempt = 0; attempt < 6; attempt++) expect((await signIn(unknownAddress(), password, sprayer)).status).toBe(401);
    expectThrottled(await signIn(unknownAddress(), password, sprayer), /^Too many sign-in attempts\. Wait /);
    // Another client is not affected.
    expect((await signIn(unknownAddress(), password, newIp())).status).toBe(401);

    const unknown = unknownAddress();
    for (let attempt = 0; attempt < 3; attempt++) expect((await signIn(unknown, "guess", newIp())).status).toBe(401);
    expectThrottled(await signIn(unknown, "guess", newIp()), /^Too many sign-in attempts\. Wait /);
  });

  it("refuses too many sign-ups from one IP, and too many emails to one address", async () => {
    const ip = newIp();
    for (let attempt = 0; attempt < 4; attempt++) {
      expect((await post("/api/auth/sign-up", { email: unknownAddress(), password }, ip)).status).toBe(201);
    }
    expectThrottled(await post("/api/auth/sign-up", { email: unknownAddress(), password }, ip), /^Too many sign-ups from your network\./);

    // One address, from several clients: a sign-up, then resends, up to five emails asked for.
    const email = unknownAddress();
    expect((await post("/api/auth/sign-up", { email, password }, newIp())).status).toBe(201);
    for (let attempt = 0; attempt < 4; attempt++) expect((await post("/api/auth/resend", { email }, newIp())).status).toBe(202);
    expectThrottled(await post("/api/auth/resend", { email }, newIp()), /^Too many emails asked for this address\./);
    expectThrottled(await post("/api/auth/forgot-password", { email }, newIp()), /^Too many emails asked for this address\./);
    // An address nobody has is refused at the same point, with the same answer.
    const nobody = unknownAddress();
    for (let attempt = 0; attempt < 5; attempt++) expect((await post("/api/auth/forgot-password", { email: nobody }, newIp())).status).toBe(202);
    expectThrottled(await post("/api/auth/forgot-password", { email: nobody }, newIp()), /^Too many emails asked for this address\./);
  });

  it("keeps the counters the server's own, and stores no address in them", async () => {
    const user = await signUpUser("Curious");
    for (const client of [anonClient(), user.client]) {
      const { error } = await client.rpc("take_keyed_rate_limit_token", {
        p_bucket: "auth.sign-in.email",
        p_key_hash: "0".repeat(64),
        p_limit: 1,
        p_window_seconds: 60,
      });
      expect(error?.code).toBe("42501");
    }

    const email = unknownAddress();
    const ip = newIp();
    expect((await signIn(email, "guess", ip)).status).toBe(401);
    const rows = (await sql("select bucket, key_hash from private.keyed_rate_limits")) as { bucket: string; key_hash: string }[];
    expect(rows.map((row) => row.bucket)).toEqual(expect.arrayContaining(["auth.sign-in.email", "auth.sign-in.ip"]));
    for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await sql("select * from private.keyed_rate_limits"))).not.toMatch(new RegExp(`${email}|${ip.replaceAll(".", "\\.")}`));
  });

  describe("gives the same answer whether or not the address has an account", () => {
    it("signing up", async () => {
      const taken = await confirmedUser();
      const pending = unknownAddress();
      expect((await post("/api/auth/sign-up", { email: pending, password }, newIp())).status).toBe(201);
      const mailsBefore = (await authEmailsTo(taken.email)).length;

      const answers = await Promise.all(
        [unknownAddress(), taken.email, pending].map((email) => post("/api/auth/sign-up", { email, password }, newIp())),
      );
      for (const [index, email] of [undefined, taken.email, pending].entries()) {
        const answer = answers[index]!;
        expect(answer.status).toBe(201);
        expect(answer.body).toEqual({ user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: email ?? expect.any(String) }, signedIn: false });
      }
      // The taken address's answer names a user that isn't its owner, and nothing is sent.
      expect((answers[1]!.body as { user: { id: string } }).user.id).not.toBe(taken.userId);
      expect(await authEmailsTo(taken.email)).toHaveLength(mailsBefore);
    });

    it("signing in with a wrong password", async () => {
      const user = await confirmedUser();
      const known = await signIn(user.email, "not the password", newIp());
      const unknown = await signIn(unknownAddress(), "not the password", newIp());
      expect(known.status).toBe(401);
      expect({ status: unknown.status, body: unknown.body }).toEqual({ status: known.status, body: known.body });
      expect(unknown.headers.get("set-cookie")).toBe(known.headers.get("set-cookie"));
    });

    it("asking for a reset link or a confirmation email, twice", async () => {
      const user = await confirmedUser();
      const pending = unknownAddress();
      expect((await post("/api/auth/sign-up", { email: pending, password }, newIp())).status).toBe(201);
      for (const path of ["/api/auth/forgot-password", "/api/auth/resend"]) {
        for (const email of [user.email, pending, unknownAddress()]) {
          // The second within Auth's minute between emails: no email, the same answer.
          for (let time = 0; time < 2; time++) {
            const answer = await post(path, { email }, newIp());
            expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status: 202, body: { sent: true } });
          }
        }
      }
    });
  });
});
