import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { startMail, type MailServer } from "@/devstack/mail/server";
import { parseEnv } from "@/lib/env";
import { deepHealth } from "@/lib/health/deep";
import { startApp, type AppProcess } from "../support/app";
import { freePort } from "../support/free-port";

/**
 * GET /api/health through the real app (next dev) on the devstack: the cheap public
 * liveness answer, and the deep check behind HEALTH_CHECK_SECRET.
 */
describe(`GET /api/health (${inject("database")})`, () => {
  const SECRET = `health-${"0123456789abcdef".repeat(3)}`;
  let mail: MailServer;
  let app: AppProcess;

  beforeAll(async () => {
    mail = await startMail({ port: await freePort() });
    app = await startApp({
      port: await freePort(),
      distDir: `.next-test-${inject("database")}`,
      env: {
        SUPABASE_URL: inject("supabaseUrl"),
        RESEND_BASE_URL: mail.url,
        // Nothing listens there: the deep check doesn't call Inngest, and says so.
        INNGEST_DEV: `http://127.0.0.1:${await freePort()}`,
        HEALTH_CHECK_SECRET: SECRET,
      },
    });
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await mail?.close();
  });

  const deep = (authorization?: string) =>
    fetch(`${app.url}/api/health?deep=1`, authorization ? { headers: { authorization } } : {});

  it("answers liveness publicly without asking for anything", async () => {
    const response = await fetch(`${app.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(await response.json()).toEqual({ ok: true });
  });

  it("refuses the deep check without the right bearer, with 401 JSON", async () => {
    for (const authorization of [undefined, "Bearer not-the-secret", `Bearer ${SECRET.toUpperCase()}`]) {
      const response = await deep(authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("reports every service and every table's grants, and no value of the environment", async () => {
    const response = await deep(`Bearer ${SECRET}`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");

    const body = JSON.parse(text);
    expect(body).toMatchObject({
      ok: true,
      services: {
        supabaseData: { configured: true, reachable: true, ok: true },
        supabaseAuth: { configured: true, reachable: true, ok: true },
        inngest: { mode: "dev", configured: true, reachable: null, ok: true, reason: "no_side_effect_free_ping" },
        resend: { configured: true, reachable: true, ok: true },
      },
      grants: { ok: true },
    });
    expect(Object.keys(body.grants.tables)).toEqual(expect.arrayContaining(["jobs", "reports", "profiles", "audit_log"]));
    for (const answer of Object.values(body.grants.tables)) expect(answer).toBe("ok");

    const supabaseUrl = new URL(inject("supabaseUrl"));
    for (const value of [SECRET, "sb_secret_", "re_devstack", supabaseUrl.host, new URL(mail.url).host, "127.0.0.1", "http"]) {
      expect(text).not.toContain(value);
    }
  });

  it("answers 400 for a deep value other than 1", async () => {
    const response = await fetch(`${app.url}/api/health?deep=yes`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request", fields: { deep: expect.any(String) } } });
  });

  it("says which key was refused, in codes, when the secret key is wrong", async () => {
    vi.stubEnv("RESEND_BASE_URL", mail.url);
    try {
      const vars = parseEnv({
        APP_URL: app.url,
        SUPABASE_URL: inject("supabaseUrl"),
        SUPABASE_PUBLISHABLE_KEY: "sb_publishable_x",
        SUPABASE_SECRET_KEY: "sb_secret_not-this-project",
        RESEND_API_KEY: "re_devstack_local",
        EMAIL_FROM: "Offload <hello@offload.localhost>",
        INNGEST_SIGNING_KEY: "signkey-prod-0123",
        INNGEST_EVENT_KEY: "event-key",
        UNSUBSCRIBE_SECRET: "u".repeat(32),
        INVITATION_SECRET: "i".repeat(32),
      });
      const health = await deepHealth(vars);
      expect(health.ok).toBe(false);
      expect(health.services.supabaseData).toEqual({ configured: true, reachable: true, ok: false, reason: "unauthorized" });
      expect(health.services.supabaseAuth).toEqual({ configured: true, reachable: true, ok: false, reason: "unauthorized" });
      expect(health.services.inngest).toMatchObject({ mode: "cloud", configured: true, ok: true });
      expect(health.services.resend.ok).toBe(true);
      expect(new Set(Object.values(health.grants.tables))).toEqual(new Set(["unauthorized"]));
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
