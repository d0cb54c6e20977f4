import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { alertWebhookPayloadSchema } from "@/lib/alerts/channels";
import { newWebhookSecret } from "@/lib/webhooks/signing";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, makePlatformAdmin, serviceClient } from "../support/supabase";
import { startReceiver, type Receiver } from "../support/webhook-receiver";
import { completedJobs, deleteJobsOfTypes, insertJobs, shift, uniqueType } from "../metrics/history";

/**
 * The check-alerts cron through the real app and the devstack's executor, invoked by
 * hand as the runs page does, with every channel set up: email, a Slack-compatible
 * local receiver as ALERT_SLACK_WEBHOOK_URL, a second named Slack channel,
 * and the signed webhook. Its schedule (every 10 minutes) may fire in between; that
 * changes nothing, which is the point: however often it checks, and whether the cron or
 * POST /api/alerts/check does, one message per incident, channel and opening or resolution.
 */
describe(`check-alerts cron (${inject("database")})`, () => {
  const db = serviceClient();
  const FUNCTION_ID = "offload-check-alerts";
  const CHECK_SECRET = "c".repeat(40);
  const jobType = uniqueType("alert-cron");
  const brokenType = uniqueType("alert-broken");
  const secret = newWebhookSecret();
  const startedAt = new Date();
  let stack: AppStack;
  let admin: ApiClient;
  let orgId: string;
  let receiver: Receiver;
  let slack: ReturnType<Receiver["path"]>;
  let otherTeam: ReturnType<Receiver["path"]>;
  let hook: ReturnType<Receiver["path"]>;
  let revoked: ReturnType<Receiver["path"]>;

  // Checks look at every job type, and other files' may alert too: count ours.
  const alertsAbout = () =>
    stack.mail.outbox
      .list({ to: admin.email })
      .filter((email) => email.subject.includes(jobType))
      .map((email) => email.subject)
      .sort();
  const slackAbout = (channel = slack) =>
    channel
      .arrivals()
      .map((a) => JSON.parse(a.body) as { text: string; blocks: unknown[] })
      .filter((post) => post.text.includes(jobType))
      .map((post) => post.text);
  const hooksAbout = () =>
    hook.arrivals().flatMap((arrival) => {
      // Signed as our outbound webhooks are: it must verify with the secret, or this throws.
      const payload = alertWebhookPayloadSchema.parse(new Webhook(secret).verify(arrival.body, arrival.headers));
      return payload.incident.jobType === jobType ? [{ id: arrival.headers["webhook-id"], status: payload.status, rule: payload.incident.rule }] : [];
    });
  const incidents = async () => {
    const { data, error } = await db.from("alert_incidents").select().eq("job_type", jobType).order("opened_at");
    if (error) throw new Error(error.message);
    return data;
  };
  const failures = (failed: number, completed: number, type: string) =>
    insertJobs(orgId, type, [
      ...Array.from({ length: failed }, () => ({ status: "failed" as const, startedAt: shift(new Date(), -120), failedAt: shift(new Date(), -60) })),
      ...completedJobs(Array<number>(completed).fill(2), () => shift(new Date(), -60)),
    ]);
  /** 11 dead letters among 300: `dead_letters` alone (3.7 % failed, under the rate's 5 %). */
  const burst = () => failures(11, 289, jobType);
  /** 3 failed among 30: `failure_rate` alone (10 %, but under the dead-letter count). */
  const failingRate = () => failures(3, 27, brokenType);

  async function runCron() {
    const response = await fetch(`${stack.executor.url}/v1/functions/${FUNCTION_ID}/invoke`, { method: "POST", body: "{}" });
    expect(response.ok).toBe(true);
    const { data } = (await response.json()) as { data: { run_id: string } };
    const run = () => stack.executor.store.runs.get(data.run_id);
    await expect.poll(() => run()?.endedAt, { timeout: 30_000 }).toBeDefined();
    expect(run()?.status).toBe("Completed");
  }
  const externalCheck = (token = CHECK_SECRET) =>
    fetch(`${stack.app.url}/api/alerts/check`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  const banner = async () => (await (await admin.fetch("/admin")).text()).includes(`${jobType}: 11 jobs failed for good`);

  const opened = `${jobType}: 11 jobs failed for good in the last hour`;

  beforeAll(async () => {
    receiver = await startReceiver();
    slack = receiver.path();
    otherTeam = receiver.path();
    hook = receiver.path();
    // A Slack webhook that was revoked: Slack answers 404 no_service.
    revoked = receiver.path((res) => res.writeHead(404).end("no_service"));
    stack = await startAppStack({
      env: {
        ALERT_SLACK_WEBHOOK_URL: slack.url,
        ALERT_SLACK_CHANNELS: JSON.stringify({ "other-team": otherTeam.url, revoked: revoked.url }),
        ALERT_WEBHOOK_URL: hook.url,
        ALERT_WEBHOOK_SECRET: secret,
        ALERT_CHECK_SECRET: CHECK_SECRET,
        // First match wins: dead letters page the on-call Slack, by email and by webhook; a
        // failure rate goes to a revoked Slack webhook and by email; everything else to the
        // other team's channel only. Routed by rule: a route's job types must be the
        // registry's, and these tests' job types are their own.
        ALERT_ROUTES: JSON.stringify([
          { rules: ["dead_letters"], channels: ["slack", "email", "webhook"] },
          { rules: ["failure_rate"], channels: ["slack:revoked", "email"] },
          { channels: ["slack:other-team"] },
        ]),
      },
    });
    admin = await signUpThroughApp(stack.app.url, "On Call");
    await makePlatformAdmin(admin.userId);
    orgId = await createTeamOrg([{ userId: admin.userId, role: "owner" }]);
  }, 180_000);

  afterAll(async () => {
    await deleteJobsOfTypes([jobType, brokenType]);
    await db.from("alert_incidents").delete().in("job_type", [jobType, brokenType]);
    await stack?.close();
    await receiver?.close();
  });

  it("posts a dead-letter spike once to Slack, once by email and once by webhook, and resolves it once on each", async () => {
    await burst();
    await runCron();
    expect(await incidents()).toMatchObject([{ rule: "dead_letters", value: 11, resolved_at: null }]);
    expect(alertsAbout()).toEqual([`Alert: ${opened}`]);
    expect(slackAbout()).toEqual([`:rotating_light: Alert: ${opened}`]);
    const [incident] = await incidents();
    expect(hooksAbout()).toEqual([{ id: `msg_alert_${incident!.id}_open`, status: "open", rule: "dead_letters" }]);
    // Routed: not to the catch-all's channel.
    expect(slackAbout(otherTeam)).toEqual([]);
    expect(await banner()).toBe(true);

    // Still failing, checked by the cron and by an external monitor: nothing more is sent.
    await runCron();
    const check = await externalCheck();
    expect(check.status).toBe(503);
    const body = (await check.json()) as { ok: boolean; failing: { rule: string; jobType: string }[] };
    expect(body.ok).toBe(false);
    expect(body.failing).toContainEqual(expect.objectContaining({ rule: "dead_letters", jobType }));
    expect(await incidents()).toHaveLength(1);
    expect(alertsAbout()).toHaveLength(1);
    expect(slackAbout()).toHaveLength(1);
    expect(hooksAbout()).toHaveLength(1);

    // The dead letters are dealt with (replayed and cleaned up): the incident resolves, once on each channel.
    const { error } = await db.from("jobs").delete().eq("type", jobType).eq("status", "failed");
    expect(error).toBeNull();
    await runCron();
    expect((await incidents())[0]!.resolved_at).not.toBeNull();
    expect(await banner()).toBe(false);
    expect(alertsAbout()).toEqual([`Alert: ${opened}`, `Resolved: ${opened}`]);
    expect(slackAbout()).toEqual([`:rotating_light: Alert: ${opened}`, `:white_check_mark: Resolved: ${opened}`]);
    expect(hooksAbout().map((h) => h.status)).toEqual(["open", "resolved"]);

    await runCron();
    await externalCheck();
    expect(alertsAbout()).toHaveLength(2);
    expect(slackAbout()).toHaveLength(2);
    expect(hooksAbout()).toHaveLength(2);
    expect(slackAbout(otherTeam)).toEqual([]);

    // It recurs, and this time the external check is first to see it: a new incident, told once.
    await burst();
    expect((await externalCheck()).status).toBe(503);
    expect((await incidents()).map((i) => i.resolved_at === null)).toEqual([false, true]);
    await runCron();
    expect(alertsAbout()).toHaveLength(3);
    expect(slackAbout()).toHaveLength(3);
    expect(hooksAbout()).toHaveLength(3);
  }, 180_000);

  it("gives up at once on a channel that refuses the message, without failing the check or its email", async () => {
    await failingRate();
    await runCron();
    const emails = stack.mail.outbox.list({ to: admin.email }).filter((email) => email.subject.includes(brokenType));
    expect(emails).toHaveLength(1);
    // Other incidents may be routed here too: count ours.
    const refusedOfOurs = () => revoked.arrivals().filter((arrival) => arrival.body.includes(brokenType));
    // One attempt, no retries: a 404 won't change by asking again.
    expect(refusedOfOurs()).toHaveLength(1);
    // Given back unsent, so the next check tries it once more (and would send it, once fixed).
    await runCron();
    expect(refusedOfOurs()).toHaveLength(2);
    expect(stack.mail.outbox.list({ to: admin.email }).filter((email) => email.subject.includes(brokenType))).toHaveLength(1);
    await deleteJobsOfTypes([brokenType]);
    await runCron();
  }, 120_000);

  it("refuses the external check without the secret", async () => {
    expect((await externalCheck("wrong")).status).toBe(401);
    const unauthenticated = await fetch(`${stack.app.url}/api/alerts/check`, { method: "POST" });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("records Inngest's sync and calls, and shows them in the console", async () => {
    await runCron();
    const { data, error } = await db.from("inngest_contacts").select("kind, last_at");
    expect(error).toBeNull();
    for (const kind of ["sync", "call"]) {
      const row = data!.find((r) => r.kind === kind);
      expect(row, kind).toBeDefined();
      expect(new Date(row!.last_at).getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1_000);
    }
    const page = await (await admin.fetch("/admin")).text();
    expect(page).toContain("Last sync");
    expect(page).toContain("Last call from Inngest");
    expect(page).not.toContain("No call from Inngest for");
  });

  it("never reports Inngest silent from the cron Inngest is running, while the external check reads only the table", async () => {
    const saved = await db.from("inngest_contacts").select().throwOnError();
    const since = new Date();
    const openedWorkerSilent = async () =>
      (await db.from("alert_incidents").select("id, value").eq("rule", "worker_silent").gte("opened_at", since.toISOString()).throwOnError()).data;
    try {
      // Nothing recorded (a fresh install, or the sync came before this migration), and each
      // server writes a contact at most once a minute: the cron's call leaves the table empty.
      await db.from("inngest_contacts").delete().in("kind", ["sync", "call"]).throwOnError();
      await runCron();
      expect(await openedWorkerSilent()).toEqual([]);

      await db.from("inngest_contacts").delete().in("kind", ["sync", "call"]).throwOnError();
      const check = await externalCheck();
      const body = (await check.json()) as { failing: { rule: string; value: number }[] };
      expect(body.failing).toContainEqual(expect.objectContaining({ rule: "worker_silent", value: -1 }));
      expect(await openedWorkerSilent()).toMatchObject([{ value: -1 }]);
    } finally {
      const opened = await openedWorkerSilent();
      if (opened.length) await db.from("alert_incidents").delete().in("id", opened.map((i) => i.id)).throwOnError();
      if (saved.data.length) await db.from("inngest_contacts").upsert(saved.data).throwOnError();
    }
  });
});
