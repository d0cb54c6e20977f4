import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { userSignedUpEventId } from "@/inngest/events";
import { startAppStack, type AppStack } from "../support/app-stack";
import { authEmailsTo, latestAuthLink } from "../support/auth-mail";
import { sql } from "../support/sql";
import { signUpThroughApp } from "../support/http";
import { serviceClient } from "../support/supabase";

/**
 * The email flows of a hosted project (confirmation on), through the real app's routes
 * and the links Supabase Auth emails (supabase/templates), read from the Auth outbox.
 * Expected behaviour from Supabase's docs: the SSR guide's /auth/confirm (token_hash +
 * verifyOtp), `resend`, `resetPasswordForEmail` + `updateUser({ password })`,
 * `updateUser({ email })`, and Auth's 429 `over_email_send_rate_limit` (which the app
 * answers as sent: Auth gives it only for an address with an account).
 */
describe(`auth email flows (${inject("database")})`, () => {
  const password = "correct horse battery";
  let stack: AppStack;
  let app: string;

  beforeAll(async () => {
    stack = await startAppStack();
    app = stack.app.url;
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const post = (path: string, body: unknown, cookie = "") =>
    fetch(`${app}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify(body),
      redirect: "manual",
    });
  /** Opens an emailed link on this app (it points at the Site URL) without following the redirect. */
  const open = (link: URL) => fetch(`${app}${link.pathname}${link.search}`, { redirect: "manual" });
  const cookiesOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0])
      .join("; ");
  const location = (response: Response) => new URL(response.headers.get("location") ?? "", app);

  async function signUp(email = `auth-${randomUUID()}@example.com`) {
    const response = await post("/api/auth/sign-up", { email, password });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { user: { id: string }; signedIn: boolean };
    return { email, userId: body.user.id, body, response };
  }

  it("refuses sign-up, sign-out and password changes sent from another site, and writes nothing", async () => {
    const email = `cross-site-${randomUUID()}@example.com`;
    const crossSite: Record<string, string>[] = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }];
    for (const headers of crossSite) {
      const response = await fetch(`${app}/api/auth/sign-up`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ email, password }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "cross_site_request" } });
    }
    expect(await sql("select id from auth.users where email = $1", [email])).toEqual([]);

    const signOut = await fetch(`${app}/api/auth/sign-out`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(signOut.status).toBe(403);
    // The same request from this site's own pages goes through.
    const sameSite = await fetch(`${app}/api/auth/sign-up`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: new URL(app).origin, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ email, password }),
    });
    expect(sameSite.status).toBe(201);
  });

  it("signs up without a session, refuses the password until confirmed, and the link signs in", async () => {
    const { email, userId, body, response } = await signUp();
    expect(body.signedIn).toBe(false);
    // No session cookie (the PKCE code verifier @supabase/ssr keeps is not one).
    expect(response.headers.getSetCookie().some((cookie) => /^sb-[\w-]+-auth-token(\.\d+)?=/.test(cookie))).toBe(false);

    // No welcome for an address nobody has confirmed (the route awaits its events, so
    // one it had sent would be stored by now).
    const welcomes = () => stack.executor.store.events.filter((event) => event.id === userSignedUpEventId(userId));
    expect(welcomes()).toHaveLength(0);

    const early = await post("/api/auth/sign-in", { email, password });
    expect(early.status).toBe(403);
    expect(await early.json()).toMatchObject({ error: { code: "email_not_confirmed" } });

    const link = await latestAuthLink(email);
    expect(link.searchParams.get("type")).toBe("email");
    const confirmed = await open(link);
    expect(confirmed.status).toBe(307);
    expect(location(confirmed).pathname).toBe("/dashboard");
    const me = await fetch(`${app}/api/profile`, { headers: { cookie: cookiesOf(confirmed) } });
    expect(me.status).toBe(200);

    // The welcome email goes after confirmation: one run of the event the id names.
    await expect
      .poll(() => [...stack.executor.store.runs.values()].filter((run) => run.event.id === userSignedUpEventId(userId)).length)
      .toBe(1);
    expect((await post("/api/auth/sign-in", { email, password })).status).toBe(200);
  });

  it("sends a used, wrong, expired or malformed link to a page that says what to do", async () => {
    const { email, userId } = await signUp();
    const link = await latestAuthLink(email);
    const first = await open(link);
    expect(location(first).pathname).toBe("/dashboard");

    const reused = await open(link);
    expect(reused.status).toBe(307);
    expect(location(reused).pathname).toBe("/auth/error");
    // Supabase Auth answers `otp_expired` for a used link as for an old one.
    expect(await (await fetch(location(reused))).text()).toContain("expired or was already used");

    for (const query of ["", "?type=email", "?token_hash=abc", "?token_hash=abc&type=sms", `?token_hash=${"f".repeat(56)}&type=email`]) {
      const answer = await fetch(`${app}/auth/confirm${query}`, { redirect: "manual" });
      expect(answer.status, query).toBe(307);
      expect(location(answer).pathname, query).toBe("/auth/error");
    }
    // Not a token at all: the link is broken, not the server.
    for (const token of ["%00", "%F0%9F%98%80", "a%20b"]) {
      const answer = await fetch(`${app}/auth/confirm?token_hash=${token}&type=email`, { redirect: "manual" });
      expect(location(answer).searchParams.get("reason"), token).toBe("invalid");
    }

    // An hour and a minute old: past otp_expiry.
    const late = await signUp();
    await sql(`update auth.users set confirmation_sent_at = now() - interval '61 minutes' where email = $1`, [late.email]);
    const expired = await open(await latestAuthLink(late.email));
    expect(location(expired).searchParams.get("reason")).toBe("expired");
    const [row] = (await sql(`select confirmed_at from auth.users where email = $1`, [late.email])) as { confirmed_at: unknown }[];
    expect(row?.confirmed_at).toBeNull();

    const page = await fetch(new URL(location(expired), app));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Resend the email");
    expect(userId).toBeTruthy();
  });

  it("refuses an address longer than mail allows with a 400, and creates nothing", async () => {
    const email = `${"a".repeat(300)}@example.com`;
    const response = await post("/api/auth/sign-up", { email, password });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { fields: { email: expect.any(String) } } });
    expect(await sql("select id from auth.users where email = $1", [email])).toEqual([]);
  });

  it("answers a sign-up with a taken address like a new one, sends nothing, and keeps the password", async () => {
    const user = await signUpThroughApp(app, "Taken");
    const again = await signUp(user.email);
    expect(again.body.signedIn).toBe(false);
    expect(await authEmailsTo(user.email)).toHaveLength(1);
    expect((await post("/api/auth/sign-in", { email: user.email, password })).status).toBe(200);
  });

  it("never redirects a confirmation off the site", async () => {
    const { email } = await signUp();
    const link = await latestAuthLink(email);
    link.searchParams.set("next", "//evil.example/steal");
    const confirmed = await open(link);
    expect(location(confirmed).origin).toBe(new URL(app).origin);
    expect(location(confirmed).pathname).toBe("/dashboard");
  });

  it("leads a sign-up made on the way somewhere (an invitation) back there once confirmed, and nowhere off the site", async () => {
    const email = `next-${randomUUID()}@example.com`;
    expect((await post("/api/auth/sign-up", { email, password, next: "/invitations/abc_-123?from=email" })).status).toBe(201);
    // The emailed link is the template's (next=/dashboard); the account remembers the way on.
    const link = await latestAuthLink(email);
    expect(link.searchParams.get("next")).toBe("/dashboard");
    const confirmed = await open(link);
    expect(confirmed.status).toBe(307);
    expect(`${location(confirmed).pathname}${location(confirmed).search}`).toBe("/invitations/abc_-123?from=email");
    expect((await fetch(`${app}/api/profile`, { headers: { cookie: cookiesOf(confirmed) } })).status).toBe(200);

    const offSite = `off-site-${randomUUID()}@example.com`;
    expect((await post("/api/auth/sign-up", { email: offSite, password, next: "//evil.example/steal" })).status).toBe(201);
    const redirected = await open(await latestAuthLink(offSite));
    expect(location(redirected).origin).toBe(new URL(app).origin);
    expect(location(redirected).pathname).toBe("/dashboard");
  });

  it("resends a confirmation once max_frequency has passed, sends none before, and hides who has an account", async () => {
    const { email } = await signUp();
    // Auth refuses a second email within max_frequency (429 over_email_send_rate_limit), and
    // only for an address it emailed: answered as sent, as for an unknown address.
    const tooSoon = await post("/api/auth/resend", { email });
    expect(tooSoon.status).toBe(202);
    expect(await tooSoon.json()).toEqual({ sent: true });
    expect(await authEmailsTo(email)).toHaveLength(1);

    const nobody = await post("/api/auth/resend", { email: `nobody-${randomUUID()}@example.com` });
    expect(nobody.status).toBe(202);
    expect(await nobody.json()).toEqual({ sent: true });
    expect((await post("/api/auth/resend", { email: "not an email" })).status).toBe(400);

    const oldLink = await latestAuthLink(email);
    await sql(`update auth.users set confirmation_sent_at = now() - interval '2 minutes' where email = $1`, [email]);
    const again = await post("/api/auth/resend", { email });
    expect(again.status).toBe(202);
    expect(await authEmailsTo(email)).toHaveLength(2);
    const newLink = await latestAuthLink(email);
    expect(location(await open(oldLink)).pathname).toBe("/auth/error");
    expect(location(await open(newLink)).pathname).toBe("/dashboard");
  });

  it("answers a resend flood alike, never a 5xx, and sends no extra email", async () => {
    const { email } = await signUp();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post("/api/auth/resend", { email })));
    expect(answers.map((answer) => answer.status)).toEqual(Array<number>(20).fill(202));
    expect(await authEmailsTo(email)).toHaveLength(1);

    // Once the wait is over, a flood still sends one email.
    await sql(`update auth.users set confirmation_sent_at = now() - interval '2 minutes' where email = $1`, [email]);
    const later = await Promise.all(Array.from({ length: 10 }, () => post("/api/auth/resend", { email })));
    expect(later.map((answer) => answer.status)).toEqual(Array<number>(10).fill(202));
    expect(await authEmailsTo(email)).toHaveLength(2);
  });

  it("resets a forgotten password through the emailed link: the new one works, the old one doesn't", async () => {
    const user = await signUpThroughApp(app, "Rita");
    const unknown = await post("/api/auth/forgot-password", { email: `nobody-${randomUUID()}@example.com` });
    expect(unknown.status).toBe(202);
    const asked = await post("/api/auth/forgot-password", { email: user.email });
    expect(asked.status).toBe(202);
    expect(await asked.json()).toEqual({ sent: true });
    // Asked again at once: Auth sends no second link, and the answer doesn't say so.
    const again = await post("/api/auth/forgot-password", { email: user.email });
    expect(again.status).toBe(202);
    expect((await authEmailsTo(user.email)).filter((mail) => mail.subject.includes("Reset"))).toHaveLength(1);

    const link = await latestAuthLink(user.email);
    expect(link.searchParams.get("type")).toBe("recovery");
    const opened = await open(link);
    expect(location(opened).pathname).toBe("/reset-password");
    const session = cookiesOf(opened);

    expect((await post("/api/auth/reset-password", { password: "short" }, session)).status).toBe(400);
    const same = await post("/api/auth/reset-password", { password }, session);
    expect(same.status).toBe(400);
    expect(await same.json()).toMatchObject({ error: { code: "same_password" } });
    expect((await post("/api/auth/reset-password", { password: "a brand new secret" })).status).toBe(401);

    expect((await post("/api/auth/reset-password", { password: "a brand new secret" }, session)).status).toBe(204);
    expect((await post("/api/auth/sign-in", { email: user.email, password })).status).toBe(401);
    expect((await post("/api/auth/sign-in", { email: user.email, password: "a brand new secret" })).status).toBe(200);
    expect(location(await open(link)).pathname).toBe("/auth/error");
  });

  it("changes the email after the confirmation link, and the profile follows", async () => {
    const user = await signUpThroughApp(app, "Eve");
    const other = await signUpThroughApp(app, "Other");
    const newEmail = `moved-${randomUUID()}@example.com`;

    expect((await user.json("/api/auth/email", { method: "POST", body: JSON.stringify({ email: "nope" }) })).status).toBe(400);
    // Auth would say a link is on its way and send none.
    const same = await user.json("/api/auth/email", { method: "POST", body: JSON.stringify({ email: user.email.toUpperCase() }) });
    expect(same).toMatchObject({ status: 400, body: { error: { code: "same_email" } } });
    const tooLong = await user.json("/api/auth/email", { method: "POST", body: JSON.stringify({ email: `${"a".repeat(300)}@example.com` }) });
    expect(tooLong.status).toBe(400);
    const taken = await user.json("/api/auth/email", { method: "POST", body: JSON.stringify({ email: other.email }) });
    expect(taken.status).toBe(409);
    const asked = await user.json<{ pendingEmail: string }>("/api/auth/email", {
      method: "POST",
      body: JSON.stringify({ email: newEmail }),
    });
    expect(asked).toMatchObject({ status: 202, body: { pendingEmail: newEmail } });
    const { data: before } = await serviceClient().from("profiles").select("email").eq("id", user.userId).single();
    expect(before?.email).toBe(user.email);

    // Secure email change: the link goes to the current address (see devstack/README.md).
    const link = await latestAuthLink(user.email);
    expect(link.searchParams.get("type")).toBe("email_change");
    const opened = await open(link);
    expect(location(opened).pathname).toBe("/dashboard/settings");
    const { data: after } = await serviceClient().from("profiles").select("email").eq("id", user.userId).single();
    expect(after?.email).toBe(newEmail);
    expect((await post("/api/auth/sign-in", { email: newEmail, password })).status).toBe(200);
  });
});
