import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { MetricsOverview } from "@/lib/metrics/overview";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, makePlatformAdmin } from "../support/supabase";
import { completedJobs, deleteJobsOfTypes, insertJobs, shift, uniqueType } from "./history";

/** GET /api/admin/metrics and the /admin overview through the real app. */
describe(`metrics API (${inject("database")})`, () => {
  let stack: AppStack;
  let orgAdmin: ApiClient;
  let member: ApiClient;
  let stranger: ApiClient;
  let platformAdmin: ApiClient;
  const typeX = uniqueType("api-x");
  const typeY = uniqueType("api-y");

  const typesOf = (overview: MetricsOverview) =>
    overview.types.map((m) => m.jobType).filter((type) => type === typeX || type === typeY);

  beforeAll(async () => {
    stack = await startAppStack();
    const signUp = (name: string) => signUpThroughApp(stack.app.url, name);
    [orgAdmin, member, stranger, platformAdmin] = await Promise.all([
      signUp("Org Admin"),
      signUp("Member"),
      signUp("Stranger"),
      signUp("Platform Admin"),
    ]);
    await makePlatformAdmin(platformAdmin.userId);
    const teamX = await createTeamOrg([
      { userId: orgAdmin.userId, role: "owner" },
      { userId: member.userId, role: "member" },
    ]);
    const teamY = await createTeamOrg([{ userId: platformAdmin.userId, role: "owner" }]);

    const tenMinutesAgo = shift(new Date(), -600);
    await insertJobs(teamX, typeX, [
      ...completedJobs([1, 2, 3], () => tenMinutesAgo),
      { status: "failed", startedAt: shift(tenMinutesAgo, -60), failedAt: tenMinutesAgo },
    ]);
    await insertJobs(teamY, typeY, completedJobs([5, 5], () => tenMinutesAgo));
  }, 180_000);

  afterAll(async () => {
    await deleteJobsOfTypes([typeX, typeY]);
    await stack?.close();
  });

  it("answers an organisation admin with their organisations' jobs only", async () => {
    const { status, body } = await orgAdmin.json<MetricsOverview>("/api/admin/metrics?window=1h");
    expect(status).toBe(200);
    expect(body.window).toBe("1h");
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(3_600_000);
    // Their team's type and nothing else: not another team's, not their personal workspace's.
    expect(body.types.map((m) => m.jobType)).toEqual([typeX]);
    const [x] = body.types;
    expect(x).toMatchObject({ completed: 3, failed: 1, successRate: 0.75, failureRate: 0.25, p50Ms: 2_000 });
    expect(x!.p95Ms).toBeCloseTo(2_900, 6); // 1, 2, 3 s
    expect(body.series.filter((p) => p.jobType === typeX).reduce((sum, p) => sum + p.completed, 0)).toBe(3);
  });

  it("answers a platform admin with every organisation's jobs", async () => {
    const { status, body } = await platformAdmin.json<MetricsOverview>("/api/admin/metrics");
    expect(status).toBe(200);
    expect(body.window).toBe("24h");
    expect(typesOf(body).sort()).toEqual([typeX, typeY].sort());
  });

  it("is not found for anyone who administers nothing, and refuses a window it doesn't offer", async () => {
    for (const user of [member, stranger]) {
      const { status, body } = await user.json<{ error: { code: string } }>("/api/admin/metrics?window=1h");
      expect(status).toBe(404);
      expect(body.error.code).toBe("not_found");
    }
    expect((await fetch(`${stack.app.url}/api/admin/metrics`)).status).toBe(401);

    const { status, body } = await orgAdmin.json<{ error: { code: string; fields: Record<string, string> } }>(
      "/api/admin/metrics?window=2h",
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.fields.window).toMatch(/1h, 24h, 7d/);
  });

  it("renders the overview for admins, with the table on the page", async () => {
    const page = await orgAdmin.fetch("/admin?window=1h");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("By job type");
    expect(html).toContain(typeX);
    expect(html).not.toContain(typeY);
    expect((await stranger.fetch("/admin")).status).toBe(404);
  });
});
