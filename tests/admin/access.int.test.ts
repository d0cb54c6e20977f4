import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, makePlatformAdmin, signUpUser } from "../support/supabase";
import { db, readJob, seedFailedWelcome } from "./support";

/**
 * Who may do what in the operations console, over every admin route and page: people who
 * administer nothing get 404 (the console doesn't admit it exists), an organisation's
 * admin gets 404 for anything of another organisation and for the install-wide crons,
 * signed-out visitors 401 (API) or the sign-in page. A platform admin gets through
 * everywhere, which shows the 404s come from the guard rather than from missing routes.
 */
describe(`admin access (${inject("database")})`, () => {
  let stack: AppStack;
  let operator: ApiClient;
  let normalUser: ApiClient;
  let teamMember: ApiClient;
  let otherTeamAdmin: ApiClient;
  let teamOrg: string;
  let jobId: string;

  type Call = { method: "GET" | "POST"; path: string; body?: unknown };

  /** Every admin endpoint, aimed at the team's organisation and its failed job. */
  const endpoints = (): Call[] => [
    { method: "GET", path: "/api/admin/dead-letters" },
    { method: "GET", path: `/api/admin/dead-letters?orgId=${teamOrg}` },
    { method: "POST", path: "/api/admin/dead-letters/replay", body: { filter: { orgId: teamOrg } } },
    {
      method: "POST",
      path: "/api/admin/dead-letters/replay",
      body: { filter: { orgId: teamOrg }, confirm: { count: 1, selection: "x" } },
    },
    { method: "GET", path: `/api/admin/jobs/${jobId}` },
    { method: "POST", path: `/api/admin/jobs/${jobId}/replay` },
    { method: "GET", path: "/api/admin/audit" },
    { method: "POST", path: "/api/admin/crons/daily-digest/run" },
    { method: "POST", path: "/api/admin/crons/cleanup-jobs/run" },
  ];
  const pages = () => ["/admin", "/admin/dead-letters", `/admin/dead-letters/${jobId}`, "/admin/audit", "/admin/crons"];

  const call = (client: ApiClient, { method, path, body }: Call) =>
    client.fetch(path, { method, body: body === undefined ? undefined : JSON.stringify(body), redirect: "manual" });

  beforeAll(async () => {
    stack = await startAppStack();
    const signUp = (name: string) => signUpThroughApp(stack.app.url, name);
    [operator, normalUser, teamMember, otherTeamAdmin] = await Promise.all([
      signUp("Operator"),
      signUp("Norma"),
      signUp("Member"),
      signUp("Other admin"),
    ]);
    await makePlatformAdmin(operator.userId);
    teamOrg = await createTeamOrg([{ userId: teamMember.userId, role: "member" }]);
    await createTeamOrg([{ userId: otherTeamAdmin.userId, role: "admin" }]);
    const victim = await signUpUser();
    jobId = (await seedFailedWelcome(victim, { orgId: teamOrg })).id;
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const outsiders = () => ({ "a user who administers nothing": normalUser, "a team's plain member": teamMember });

  it.each(["a user who administers nothing", "a team's plain member"] as const)(
    "answers 404 to %s on every admin route and action",
    async (who) => {
      const client = outsiders()[who];
      for (const endpoint of endpoints()) {
        const response = await call(client, endpoint);
        expect(response.status, `${endpoint.method} ${endpoint.path}`).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
      }
      for (const page of pages()) {
        expect((await call(client, { method: "GET", path: page })).status, page).toBe(404);
      }
    },
    // next dev compiles each route on its first request.
    120_000,
  );

  it("answers 404 to another organisation's admin for that organisation's jobs, and for the crons", async () => {
    for (const endpoint of endpoints().filter((e) => e.path !== "/api/admin/dead-letters" && e.path !== "/api/admin/audit")) {
      const response = await call(otherTeamAdmin, endpoint);
      expect(response.status, `${endpoint.method} ${endpoint.path}`).toBe(404);
    }
    for (const page of [`/admin/dead-letters/${jobId}`, "/admin/crons"]) {
      expect((await call(otherTeamAdmin, { method: "GET", path: page })).status, page).toBe(404);
    }
    // Their own view of the console works, and shows none of the team's jobs.
    const own = await otherTeamAdmin.json<{ jobs: { id: string }[] }>("/api/admin/dead-letters");
    expect(own.status).toBe(200);
    expect(own.body.jobs.map((job) => job.id)).not.toContain(jobId);
  }, 120_000);

  it("answers 401 to signed-out callers and sends them to sign in for pages", async () => {
    for (const { method, path, body } of endpoints()) {
      const response = await fetch(`${stack.app.url}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    for (const page of pages()) {
      const response = await fetch(`${stack.app.url}${page}`, { redirect: "manual" });
      expect(response.status, page).toBe(307);
      expect(response.headers.get("location"), page).toContain("/sign-in");
    }
  }, 120_000);

  it("changed nothing and recorded nothing for any of them", async () => {
    expect((await readJob(jobId)).replayed_at).toBeNull();
    const { data } = await db
      .from("audit_log")
      .select("id")
      .in("actor_id", [normalUser.userId, teamMember.userId, otherTeamAdmin.userId]);
    expect(data).toEqual([]);
  });

  it("lets a platform admin through the same routes and pages (the 404s are the guard's)", async () => {
    for (const page of pages()) {
      expect((await call(operator, { method: "GET", path: page })).status, page).toBe(200);
    }
    for (const endpoint of endpoints().filter((e) => e.method === "GET")) {
      expect((await call(operator, endpoint)).status, endpoint.path).toBe(200);
    }
    const preview = await call(operator, endpoints()[2]!);
    expect(preview.status).toBe(200);
  }, 120_000);
});
