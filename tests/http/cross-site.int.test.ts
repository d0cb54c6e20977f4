import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cronRunRequested } from "@/inngest/events";
import { startAppStack, type AppStack } from "../support/app-stack";
import { authEmailsTo } from "../support/auth-mail";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { sql } from "../support/sql";
import { createTeamOrg, makePlatformAdmin, serviceClient, signUpUser } from "../support/supabase";

const root = path.resolve(import.meta.dirname, "../..");
const STATE_CHANGING = /export\s+(?:const|(?:async\s+)?function)\s+(POST|PUT|PATCH|DELETE)\b/g;

/** Every `METHOD /path` that changes state, read from the route files (so a new one is caught). */
function stateChangingRoutes(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name === "route.ts") {
        const urlPath = `/${path.relative(path.join(root, "app"), dir).split(path.sep).join("/")}`;
        for (const [, method] of readFileSync(file, "utf8").matchAll(STATE_CHANGING)) found.push(`${method} ${urlPath}`);
      }
    }
  };
  walk(path.join(root, "app"));
  return found.sort();
}

/**
 * What a browser sends with a request a page elsewhere makes with the visitor's cookies:
 * from a foreign site, and from another origin of this site (another subdomain or port).
 */
const foreignCallers = (port: string): [string, Record<string, string>][] => [
  ["cross-site", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
  ["same-site", { origin: `http://evil.localhost:${port}`, "sec-fetch-site": "same-site" }],
];

/** What a probe sends, and the state it would change, read before and after. */
type Probe = {
  path: () => string;
  body?: () => unknown;
  state: () => Promise<unknown>;
  /** Checks the response beyond the 403 (e.g. no session cookies). */
  alsoCheck?: (response: Response) => void;
};

describe(`cross-site requests (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let admin: ApiClient;
  let orgId: string;
  let runningJobId: string;
  let failedJobId: string;
  let teamId: string;
  let teammateId: string;
  let invitationId: string;
  let endpointId: string;
  const unconfirmed = `xsite-unconfirmed-${randomUUID()}@example.com`;
  const newcomer = `xsite-new-${randomUUID()}@example.com`;
  const newAddress = `xsite-change-${randomUUID()}@example.com`;
  const password = "correct horse battery";

  beforeAll(async () => {
    stack = await startAppStack();
    admin = await signUpThroughApp(stack.app.url, "Cross Site Admin");
    await makePlatformAdmin(admin.userId);
    const [membership] = (await sql("select org_id from public.memberships where user_id = $1", [admin.userId])) as {
      org_id: string;
    }[];
    orgId = membership!.org_id;
    const seed = async (status: "pending" | "failed") => {
      const { data, error } = await db
        .from("jobs")
        .insert({
          org_id: orgId,
          user_id: admin.userId,
          type: "welcome-email",
          payload: { userId: admin.userId, orgId, email: admin.email },
          status,
          attempt: status === "failed" ? 1 : 0,
          error: status === "failed" ? "seeded failure" : null,
          failed_at: status === "failed" ? new Date().toISOString() : null,
          event_name: "app/user.signed_up",
          idempotency_key: `xsite-${randomUUID()}`,
        })
        .select("id")
        .single();
      if (error) throw new Error(`could not seed a job: ${error.message}`);
      return data.id;
    };
    runningJobId = await seed("pending");
    failedJobId = await seed("failed");
    // A team the admin owns, with a member and a pending invitation, for the teams routes.
    teammateId = (await signUpUser("Cross Site Teammate")).id;
    teamId = await createTeamOrg([
      { userId: admin.userId, role: "owner" },
      { userId: teammateId, role: "member" },
    ]);
    const invited = await db
      .from("invitations")
      .insert({
        org_id: teamId,
        email: `xsite-invited-${randomUUID()}@example.com`,
        token_nonce: randomUUID(),
        token_hash: randomUUID().replaceAll("-", "").repeat(2),
      })
      .select("id")
      .single();
    if (invited.error) throw new Error(`could not seed an invitation: ${invited.error.message}`);
    invitationId = invited.data.id;
    // An endpoint of the team's, with a failed message, for the webhooks routes.
    const endpoint = await db
      .from("webhook_endpoints")
      .insert({ org_id: teamId, url: "https://hooks.example.com/xsite", event_types: ["job.completed"] })
      .select("id")
      .single();
    if (endpoint.error) throw new Error(`could not seed an endpoint: ${endpoint.error.message}`);
    endpointId = endpoint.data.id;
    const seeded = await Promise.all([
      db.from("webhook_secrets").insert({ endpoint_id: endpointId, secret: `whsec_${"A".repeat(43)}=` }),
      db.from("webhook_messages").insert({
        org_id: teamId,
        endpoint_id: endpointId,
        event_type: "job.completed",
        payload: {},
        dedupe_key: `xsite-${randomUUID()}`,
        status: "failed",
      }),
      // An unread notification, for marking read.
      db.from("notifications").insert({ user_id: admin.userId, kind: "job.failed", job_id: failedJobId }),
    ]);
    for (const { error } of seeded) if (error) throw new Error(`could not seed the endpoint's secret, message or notification: ${error.message}`);
    const signedUp = await fetch(`${stack.app.url}/api/auth/sign-up`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: unconfirmed, password }),
    });
    expect(signedUp.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const jobRow = async (id: string) => {
    const { data } = await db.from("jobs").select("status, notify_by_email, replayed_at").eq("id", id).single();
    return data;
  };
  const orgJobs = async () => (await db.from("jobs").select("id").eq("org_id", orgId)).data?.map((job) => job.id).sort();
  const auditCount = async () => (await db.from("audit_log").select("id", { count: "exact", head: true })).count;
  const account = async () =>
    sql("select email, email_change, encrypted_password from auth.users where id = $1", [admin.userId]);
  const mails = async (to: string) => (await authEmailsTo(to)).length;
  const sessionCookies = (response: Response) =>
    response.headers.getSetCookie().filter((cookie) => /^sb-[\w-]+-auth-token(\.\d+)?=/.test(cookie));
  const profile = async () => (await admin.json<unknown>("/api/profile")).body;
  const teams = async () => ({
    organisations: (await db.from("organisations").select("id, name, slug").eq("id", teamId)).data,
    teamsOwned: (await db.from("memberships").select("org_id", { count: "exact", head: true }).eq("user_id", admin.userId)).count,
    members: (await db.from("memberships").select("user_id, role").eq("org_id", teamId).order("user_id")).data,
    invitations: (await db.from("invitations").select("id, email, role, token_hash").eq("org_id", teamId).order("id")).data,
    current: (await db.from("current_organisations").select("org_id").eq("user_id", admin.userId).maybeSingle()).data,
    events: stack.executor.store.events.length,
  });

  const webhooks = async () => ({
    endpoints: (await db.from("webhook_endpoints").select("id, url, description, event_types, enabled").eq("org_id", teamId)).data,
    secrets: (await db.from("webhook_secrets").select("id, expires_at").eq("endpoint_id", endpointId).order("id")).data,
    messages: (await db.from("webhook_messages").select("id, status, replays").eq("org_id", teamId).order("id")).data,
    audit: await auditCount(),
    events: stack.executor.store.events.length,
  });
  const unreadNotifications = async () =>
    (await db.from("notifications").select("id, read_at").eq("user_id", admin.userId).order("id")).data;

  const probes: Record<string, Probe> = {
    "POST /api/admin/crons/[id]/run": {
      path: () => "/api/admin/crons/cleanup-jobs/run",
      state: async () => ({
        events: stack.executor.store.events.filter((event) => event.name === cronRunRequested.name).length,
        audit: await auditCount(),
      }),
    },
    "POST /api/admin/dead-letters/replay": {
      path: () => "/api/admin/dead-letters/replay",
      body: () => ({ filter: { orgId } }),
      state: async () => ({ job: await jobRow(failedJobId), jobs: await orgJobs(), audit: await auditCount() }),
    },
    "POST /api/admin/jobs/[id]/replay": {
      path: () => `/api/admin/jobs/${failedJobId}/replay`,
      state: async () => ({ job: await jobRow(failedJobId), jobs: await orgJobs(), audit: await auditCount() }),
    },
    "POST /api/auth/email": {
      path: () => "/api/auth/email",
      body: () => ({ email: newAddress }),
      state: async () => ({ account: await account(), mails: await mails(newAddress) }),
    },
    "POST /api/auth/forgot-password": {
      path: () => "/api/auth/forgot-password",
      body: () => ({ email: admin.email }),
      state: async () => mails(admin.email),
    },
    "POST /api/auth/resend": {
      path: () => "/api/auth/resend",
      body: () => ({ email: unconfirmed }),
      state: async () => mails(unconfirmed),
    },
    "POST /api/auth/reset-password": {
      path: () => "/api/auth/reset-password",
      body: () => ({ password: "a brand new passphrase" }),
      state: account,
    },
    "POST /api/auth/sign-in": {
      path: () => "/api/auth/sign-in",
      body: () => ({ email: admin.email, password }),
      state: async () => null,
      alsoCheck: (response) => expect(sessionCookies(response)).toEqual([]),
    },
    "POST /api/auth/sign-out": {
      path: () => "/api/auth/sign-out",
      // Still signed in afterwards: the profile answers.
      state: async () => (await admin.fetch("/api/profile")).status,
      alsoCheck: (response) => expect(response.headers.getSetCookie()).toEqual([]),
    },
    "POST /api/auth/sign-up": {
      path: () => "/api/auth/sign-up",
      body: () => ({ email: newcomer, password }),
      state: async () => sql("select id from auth.users where email = $1", [newcomer]),
    },
    "POST /api/jobs/[id]/cancel": {
      path: () => `/api/jobs/${runningJobId}/cancel`,
      state: async () => ({ job: await jobRow(runningJobId), events: stack.executor.store.events.length }),
    },
    "PATCH /api/jobs/[id]": {
      path: () => `/api/jobs/${runningJobId}`,
      body: () => ({ notifyByEmail: true }),
      state: async () => jobRow(runningJobId),
    },
    "POST /api/invitations/accept": {
      path: () => "/api/invitations/accept",
      body: () => ({ token: "x".repeat(43) }),
      state: teams,
    },
    "POST /api/organisations": {
      path: () => "/api/organisations",
      body: () => ({ name: "Cross Site Team", slug: `xsite-${randomUUID().slice(0, 8)}` }),
      state: teams,
    },
    "PATCH /api/organisations/[orgId]": {
      path: () => `/api/organisations/${teamId}`,
      body: () => ({ name: "Renamed Elsewhere" }),
      state: teams,
    },
    "DELETE /api/organisations/[orgId]": {
      path: () => `/api/organisations/${teamId}`,
      state: teams,
    },
    "POST /api/organisations/[orgId]/invitations": {
      path: () => `/api/organisations/${teamId}/invitations`,
      body: () => ({ email: `xsite-new-invite-${randomUUID()}@example.com`, role: "member" }),
      state: teams,
    },
    "DELETE /api/organisations/[orgId]/invitations/[invitationId]": {
      path: () => `/api/organisations/${teamId}/invitations/${invitationId}`,
      state: teams,
    },
    "PATCH /api/organisations/[orgId]/members/[userId]": {
      path: () => `/api/organisations/${teamId}/members/${teammateId}`,
      body: () => ({ role: "admin" }),
      state: teams,
    },
    "DELETE /api/organisations/[orgId]/members/[userId]": {
      path: () => `/api/organisations/${teamId}/members/${teammateId}`,
      state: teams,
    },
    "POST /api/organisations/[orgId]/webhooks": {
      path: () => `/api/organisations/${teamId}/webhooks`,
      body: () => ({ url: "https://hooks.example.com/elsewhere", eventTypes: ["job.completed"] }),
      state: webhooks,
    },
    "PATCH /api/organisations/[orgId]/webhooks/[endpointId]": {
      path: () => `/api/organisations/${teamId}/webhooks/${endpointId}`,
      body: () => ({ enabled: false }),
      state: webhooks,
    },
    "DELETE /api/organisations/[orgId]/webhooks/[endpointId]": {
      path: () => `/api/organisations/${teamId}/webhooks/${endpointId}`,
      state: webhooks,
    },
    "POST /api/organisations/[orgId]/webhooks/[endpointId]/rotate": {
      path: () => `/api/organisations/${teamId}/webhooks/${endpointId}/rotate`,
      state: webhooks,
    },
    "POST /api/organisations/[orgId]/webhooks/[endpointId]/test": {
      path: () => `/api/organisations/${teamId}/webhooks/${endpointId}/test`,
      state: webhooks,
    },
    "POST /api/organisations/[orgId]/webhooks/[endpointId]/replay": {
      path: () => `/api/organisations/${teamId}/webhooks/${endpointId}/replay`,
      body: () => ({ since: "2020-01-01T00:00:00Z" }),
      state: webhooks,
    },
    "POST /api/notifications/read": {
      path: () => "/api/notifications/read",
      body: () => ({ all: true }),
      state: unreadNotifications,
    },
    "PUT /api/organisations/current": {
      path: () => "/api/organisations/current",
      body: () => ({ orgId: teamId }),
      state: teams,
    },
    "PATCH /api/profile": {
      path: () => "/api/profile",
      body: () => ({ displayName: "Renamed Elsewhere", digestOptIn: false }),
      state: profile,
    },
    "POST /api/alerts/check": {
      path: () => "/api/alerts/check",
      // What a check changes: incidents opened or resolved, and the messages claimed for them.
      state: () => sql("select (select count(*) from public.alert_incidents) as incidents, (select count(*) from public.alert_notifications) as messages"),
    },
    "POST /api/reports": {
      path: () => "/api/reports",
      body: () => ({ kind: "activity", from: "2026-11-01", to: "2026-11-02", format: "csv", timeZone: "UTC" }),
      state: orgJobs,
    },
  };

  /** Open to other sites by design: the signed token in the link is the proof (RFC 8058). */
  const openByDesign = ["POST /api/digest/unsubscribe"];
  /** Only Inngest's servers call it: every browser is refused, this site's pages too. */
  const serversOnly = ["POST /api/inngest", "PUT /api/inngest"];

  it("has a probe for every state-changing route", () => {
    expect([...Object.keys(probes), ...openByDesign, ...serversOnly].sort()).toEqual(stateChangingRoutes());
  });

  it("refuses each one from another site or another origin of this site, and changes nothing", async () => {
    for (const [name, probe] of Object.entries(probes)) {
      const method = name.split(" ")[0]!;
      for (const [caller, headers] of foreignCallers(new URL(stack.app.url).port)) {
        const before = await probe.state();
        const response = await admin.fetch(probe.path(), {
          method,
          headers: { "content-type": "application/json", ...headers },
          body: probe.body && JSON.stringify(probe.body()),
        });
        expect(response.status, `${name} (${caller})`).toBe(403);
        expect(await response.json(), `${name} (${caller})`).toEqual({
          error: { code: "cross_site_request", message: "Requests from other sites are refused." },
        });
        probe.alsoCheck?.(response);
        expect(await probe.state(), `${name} (${caller})`).toEqual(before);
      }
    }
  }, 120_000);

  it("lets this site's own pages make the same requests", async () => {
    const own = { origin: stack.app.url, "sec-fetch-site": "same-origin", "content-type": "application/json" };
    const before = await profile();
    const renamed = await admin.fetch("/api/profile", {
      method: "PATCH",
      headers: own,
      body: JSON.stringify({ displayName: "Renamed Here" }),
    });
    expect(renamed.status).toBe(200);
    expect(await profile()).not.toEqual(before);

    const cancelled = await admin.fetch(`/api/jobs/${runningJobId}/cancel`, { method: "POST", headers: own });
    expect(cancelled.status).toBe(200);
    expect((await jobRow(runningJobId))?.status).toBe("cancelled");
  });

  it("refuses every browser at the Inngest endpoint, which runs functions unsigned against a dev server", async () => {
    const runs = stack.executor.store.runs.size;
    const browsers: Record<string, string>[] = [
      ...foreignCallers(new URL(stack.app.url).port).map(([, headers]) => headers),
      { origin: stack.app.url, "sec-fetch-site": "same-origin" },
    ];
    // What a form on any page can send: a simple request, no preflight.
    const forged = JSON.stringify({
      event: { name: "app/user.signed_up", data: { userId: admin.userId, orgId, email: admin.email } },
      events: [],
      steps: {},
      ctx: { run_id: randomUUID(), attempt: 0, fn_id: "offload-welcome-email" },
    });
    for (const headers of browsers) {
      for (const method of ["POST", "PUT"]) {
        const response = await fetch(`${stack.app.url}/api/inngest?fnId=offload-welcome-email&stepId=step`, {
          method,
          headers: { "content-type": "text/plain", ...headers },
          body: method === "POST" ? forged : undefined,
        });
        expect(response.status, `${method} ${JSON.stringify(headers)}`).toBe(403);
        expect(await response.json()).toMatchObject({ error: { code: "cross_site_request" } });
      }
    }
    expect(stack.executor.store.runs.size).toBe(runs);
    // Inngest's own calls, which carry no browser headers, still reach the SDK: a sync works.
    await stack.executor.sync();
  });
});
