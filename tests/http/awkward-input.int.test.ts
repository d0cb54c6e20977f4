import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { unsubscribeToken } from "@/lib/digest/unsubscribe";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { serviceClient } from "../support/supabase";

type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string> } };

/**
 * Input that is the right shape but can't be stored or sent as it is: JSON allows a NUL
 * (`\u0000`) and an unpaired surrogate (`\ud800`) in a string, Postgres text allows
 * neither; bcrypt (Supabase Auth) stops at 72 *bytes*, and an emoji is four. Each gets a
 * clear 400 and nothing is written, never a 500.
 */
describe(`awkward but well-formed input (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let alice: ApiClient;

  const post = (path: string, body: string) =>
    fetch(`${stack.app.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

  async function accountsFor(email: string) {
    const { count, error } = await db.from("profiles").select("id", { count: "exact", head: true }).eq("email", email);
    if (error) throw new Error(error.message);
    return count;
  }

  beforeAll(async () => {
    stack = await startAppStack();
    alice = await signUpThroughApp(stack.app.url, "Alice");
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  // Written as JSON text: JSON.stringify would escape them the same way.
  const awkwardNames = { "a NUL": String.raw`"Ada\u0000Lovelace"`, "a lone surrogate": String.raw`"Ada \ud800"` };

  it.each(Object.entries(awkwardNames))("refuses a sign-up whose name holds %s, and creates no account", async (_, name) => {
    const email = `awkward-${randomUUID()}@example.com`;
    const response = await post("/api/auth/sign-up", `{"email":"${email}","password":"correct horse battery","displayName":${name}}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorAnswer;
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.fields?.displayName).toMatch(/character/);
    expect(await accountsFor(email)).toBe(0);
  });

  it.each(Object.entries(awkwardNames))("refuses a profile name that holds %s, and keeps the old one", async (_, name) => {
    const { status, body } = await alice.json<ErrorAnswer>("/api/profile", {
      method: "PATCH",
      body: `{"displayName":${name}}`,
    });
    expect(status).toBe(400);
    expect(body.error.fields?.displayName).toMatch(/character/);
    const { data } = await db.from("profiles").select("display_name").eq("id", alice.userId).single();
    expect(data?.display_name).toBe("Alice");
  });

  it("refuses a NUL anywhere in a body, not only in names", async () => {
    const response = await post("/api/auth/sign-in", String.raw`{"email":"a@example.com","password":"x\u0000y"}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorAnswer;
    expect(body.error.fields?.password).toBeDefined();
  });

  it("refuses a password over 72 bytes though under 72 characters, and creates no account", async () => {
    const email = `emoji-${randomUUID()}@example.com`;
    const password = "🔑".repeat(37); // 37 code points, 148 bytes
    const response = await post("/api/auth/sign-up", JSON.stringify({ email, password }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorAnswer;
    expect(body.error.fields?.password).toMatch(/72 bytes/);
    expect(await accountsFor(email)).toBe(0);
  });

  it("still takes a long password that fits in 72 bytes", async () => {
    const email = `emoji-${randomUUID()}@example.com`;
    const password = "🔑".repeat(18); // 72 bytes
    const response = await post("/api/auth/sign-up", JSON.stringify({ email, password }));
    expect(response.status).toBe(201);
  });

  it("refuses an unsubscribe link with the token twice, and unsubscribes nobody", async () => {
    // Sign a real token as the app under test does: with its environment (.env.development).
    for (const [name, value] of Object.entries(parseEnv(readFileSync(".env.development", "utf8")))) {
      if (value !== undefined) vi.stubEnv(name, value);
    }
    await alice.json("/api/profile", { method: "PATCH", body: JSON.stringify({ digestOptIn: true }) });
    const token = encodeURIComponent(unsubscribeToken(alice.userId));
    for (const query of ["token=a&token=b", `token=${token}&token=${token}`, `token=a&token=${token}`]) {
      const response = await fetch(`${stack.app.url}/api/digest/unsubscribe?${query}`, { method: "POST" });
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as ErrorAnswer;
      expect(body.error.code, query).toBe("invalid_request");
    }
    const { data } = await db.from("profiles").select("digest_opt_in").eq("id", alice.userId).single();
    expect(data?.digest_opt_in).toBe(true);
  });

  it("shows the unsubscribe page's invalid-link message for a token given twice", async () => {
    // A page can't answer 400; it says what is wrong instead of failing.
    const response = await fetch(`${stack.app.url}/unsubscribe?token=a&token=b`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("This unsubscribe link is not valid");
  });
});
