import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, makePlatformAdmin, serviceClient } from "../support/supabase";
import { completedJobs, deleteJobsOfTypes, insertJobs, shift, uniqueType } from "../metrics/history";

/**
 * The check-alerts cron through the real app and the devstack's executor, invoked by
 * hand as the runs page does. Its schedule (every 10 minutes) may fire in between; that
 * changes nothing, which is the point: however often it checks, one email per incident.
 */
describe(`check-alerts cron (${inject("database")})`, () => {
  const db = serviceClient();
  const FUNCTION_ID = "offload-check-alerts";
  const jobType = uniqueType("alert-cron");
  let stack: AppStack;
  let admin: ApiClient;
  let orgId: string;

  const alertsAbout = () => stack.mail.outbox.list({ to: admin.email }).filter((email) => email.subject.includes(jobType));
  const incidents = async () => {
    const { data, error } = await db.from("alert_incidents").select().eq("job_type", jobType).order("opened_at");
    if (error) throw new Error(error.message);
    return data;
  };
  const burst = () =>
    insertJobs(orgId, jobType, [
      ...Array.from({ length: 11 }, () => ({ status: "failed" as const, startedAt: shift(new Date(), -120), failedAt: shift(new Date(), -60) })),
      ...completedJobs(Array<number>(289).fill(2), () => shift(new Date(), -60)),
    ]);

  async function runCron() {
    const response = await fetch(`${stack.executor.url}/v1/functions/${FUNCTION_ID}/invoke`, { method: "POST", body: "{}" });
    expect(response.ok).toBe(true);
    const { data } = (await response.json()) as { data: { run_id: string } };
    const run = () => stack.executor.store.runs.get(data.run_id);
    await expect.poll(() => run()?.endedAt, { timeout: 30_000 }).toBeDefined();
    expect(run()?.status).toBe("Completed");
  }
  const banner = async () => (await (await admin.fetch("/admin")).text()).includes(`${jobType}: 11 jobs failed for good`);

  beforeAll(async () => {
    stack = await startAppStack();
    admin = await signUpThroughApp(stack.app.url, "On Call");
    await makePlatformAdmin(admin.userId);
    orgId = await createTeamOrg([{ userId: admin.userId, role: "owner" }]);
  }, 180_000);

  afterAll(async () => {
    await deleteJobsOfTypes([jobType]);
    await db.from("alert_incidents").delete().eq("job_type", jobType);
    await stack?.close();
  });

  it("emails the platform admins once per incident and shows it in the console until it clears", async () => {
    await burst();
    await runCron();
    expect(await incidents()).toMatchObject([{ rule: "dead_letters", value: 11, resolved_at: null }]);
    expect(alertsAbout()).toHaveLength(1);
    expect(alertsAbout()[0]!.html).toContain(`${stack.app.url}/admin`);
    expect(await banner()).toBe(true);

    // Still failing: no second email.
    await runCron();
    expect(await incidents()).toHaveLength(1);
    expect(alertsAbout()).toHaveLength(1);

    // The dead letters are dealt with (replayed and cleaned up): the incident resolves.
    const { error } = await db.from("jobs").delete().eq("type", jobType).eq("status", "failed");
    expect(error).toBeNull();
    await runCron();
    expect((await incidents())[0]!.resolved_at).not.toBeNull();
    expect(await banner()).toBe(false);
    expect(alertsAbout()).toHaveLength(1);

    // It recurs: a new incident, a new email.
    await burst();
    await runCron();
    expect((await incidents()).map((i) => i.resolved_at === null)).toEqual([false, true]);
    expect(alertsAbout()).toHaveLength(2);
  }, 180_000);
});
