import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { startMail, type MailServer } from "@/devstack/mail/server";
import { evaluateAlerts, sendNotification } from "@/lib/alerts/check";
import { alertThresholds } from "@/lib/alerts/rules";
import { freePort } from "../support/free-port";
import { createTeamOrg, makePlatformAdmin, serviceClient, signUpUser, type TestUser } from "../support/supabase";
import { completedJobs, deleteJobsOfTypes, insertJobs, shift, uniqueType } from "../metrics/history";

/**
 * The alert lifecycle through lib/alerts against the real database and the devstack's
 * Resend outbox, with the clock pinned: each check passes its own `now`, so "an hour
 * later" needs no waiting. The checks run in the past (T0 is 6 hours ago) so they can't
 * collide with anything happening now.
 */
describe(`alert incidents (${inject("database")})`, () => {
  const db = serviceClient();
  const T0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 6 * 3_600_000);
  const types: string[] = [];
  let mail: MailServer;
  let admin: TestUser;
  let orgId: string;

  /** One check as the cron makes it (inngest/functions/check-alerts.ts): evaluate, then send each message due. */
  const check = async (now: Date) => {
    const evaluation = await evaluateAlerts(db, { now, thresholds: alertThresholds() });
    for (const notification of evaluation.toNotify) await sendNotification(db, notification, now);
    return evaluation;
  };
  const incidentsOf = async (jobType: string) => {
    const { data, error } = await db.from("alert_incidents").select().eq("job_type", jobType).order("opened_at");
    if (error) throw new Error(error.message);
    return data;
  };
  // Checks look at every job type, and other tests' may alert too: count ours.
  const alertsAbout = (jobType: string) =>
    mail.outbox.list({ to: admin.email }).filter((email) => email.subject.includes(jobType));

  /** 11 jobs failed for good among 300 in five minutes: more than 10 dead letters, 3.7 % failed. */
  const burst = (jobType: string, at: Date) =>
    insertJobs(orgId, jobType, [
      ...Array.from({ length: 11 }, () => ({ status: "failed" as const, startedAt: shift(at, -60), failedAt: at })),
      ...completedJobs(Array<number>(289).fill(2), () => at),
    ]);

  beforeAll(async () => {
    mail = await startMail({ port: await freePort() });
    const local = parseEnv(readFileSync(path.resolve(import.meta.dirname, "../../.env.development"), "utf8"));
    for (const [name, value] of Object.entries(local)) vi.stubEnv(name, value);
    vi.stubEnv("SUPABASE_URL", inject("supabaseUrl"));
    vi.stubEnv("RESEND_BASE_URL", mail.url);

    admin = await signUpUser("Alert Admin");
    await makePlatformAdmin(admin.id);
    orgId = await createTeamOrg([{ userId: admin.id, role: "owner" }]);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await deleteJobsOfTypes(types);
    if (types.length) await db.from("alert_incidents").delete().in("job_type", types);
    await mail?.close();
  });

  it("emails once for a burst of failures, once when it clears, and again when it recurs", async () => {
    const jobType = uniqueType("alert-burst");
    types.push(jobType);
    await burst(jobType, shift(T0, -300));

    // The burst breaks one rule: one incident, one email.
    const first = await check(T0);
    expect(first.failing.filter((f) => f.jobType === jobType)).toEqual([
      { rule: "dead_letters", jobType, value: 11, threshold: 10 },
    ]);
    let incidents = await incidentsOf(jobType);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ rule: "dead_letters", value: 11, resolved_at: null });
    expect(incidents[0]!.notified_at).not.toBeNull();
    expect(alertsAbout(jobType)).toHaveLength(1);
    expect(alertsAbout(jobType)[0]!.subject).toBe(`Alert: ${jobType}: 11 jobs failed for good in the last hour`);
    expect(alertsAbout(jobType)[0]!.idempotency?.key).toBe(`alert/${incidents[0]!.id}/${admin.id}`);

    // A minute later it still fails: the same incident, kept up to date, and no new email.
    const second = await check(shift(T0, 60));
    expect(second.changes.filter((c) => c.incident.jobType === jobType).map((c) => c.change)).toEqual(["ongoing"]);
    expect(await incidentsOf(jobType)).toHaveLength(1);
    expect(alertsAbout(jobType)).toHaveLength(1);

    // Sending the same message again (a retried step, a racing check) finds it sent: nothing goes.
    const incident = first.changes.find((c) => c.incident.jobType === jobType)!.incident;
    expect(await sendNotification(db, { incident, channel: "email", kind: "open" })).toEqual({ sent: false });
    expect(alertsAbout(jobType)).toHaveLength(1);

    // Two hours on, the burst has left the hour: the incident resolves, with one email saying so.
    await check(shift(T0, 7_200));
    incidents = await incidentsOf(jobType);
    expect(incidents).toHaveLength(1);
    expect(new Date(incidents[0]!.resolved_at!).toISOString()).toBe(shift(T0, 7_200).toISOString());
    expect(alertsAbout(jobType).map((email) => email.subject).sort()).toEqual([
      `Alert: ${jobType}: 11 jobs failed for good in the last hour`,
      `Resolved: ${jobType}: 11 jobs failed for good in the last hour`,
    ]);
    await check(shift(T0, 7_260));
    expect(alertsAbout(jobType)).toHaveLength(2);

    // It happens again: a second incident, a second email.
    await burst(jobType, shift(T0, 3 * 3_600 - 300));
    await check(shift(T0, 3 * 3_600));
    incidents = await incidentsOf(jobType);
    expect(incidents.map((i) => i.resolved_at === null)).toEqual([false, true]);
    expect(incidents[1]!.id).not.toBe(incidents[0]!.id);
    expect(alertsAbout(jobType)).toHaveLength(3);
  });

  it("opens an incident per rule that fails: a failure rate, a long wait, a stuck job", async () => {
    const jobType = uniqueType("alert-queue");
    types.push(jobType);
    const now = shift(T0, 4 * 3_600);
    await insertJobs(orgId, jobType, [
      // 3 of 30 failed: 10 %, over the 5 % threshold, under the dead-letter count.
      ...Array.from({ length: 3 }, () => ({ status: "failed" as const, startedAt: shift(now, -120), failedAt: shift(now, -60) })),
      ...completedJobs(Array<number>(27).fill(1), () => shift(now, -60)),
      // Waiting 2 hours, and running for 10 minutes where 2 × p95 is 2 s.
      { status: "pending", createdAt: shift(now, -7_200) },
      { status: "processing", startedAt: shift(now, -600) },
    ]);

    await check(now);
    const incidents = await incidentsOf(jobType);
    expect(incidents.map((i) => [i.rule, i.value]).sort()).toEqual([
      ["failure_rate", 0.1],
      ["oldest_pending", 7_200],
      ["stuck_jobs", 1],
    ]);
    expect(alertsAbout(jobType)).toHaveLength(3);
  });

  it("sends a message once when two checks race for it", async () => {
    const jobType = uniqueType("alert-race");
    types.push(jobType);
    const now = shift(T0, 5 * 3_600);
    await burst(jobType, shift(now, -300));
    const evaluation = await evaluateAlerts(db, { now, thresholds: alertThresholds() });
    const ours = evaluation.toNotify.filter((n) => n.incident.jobType === jobType);
    expect(ours.map((n) => [n.channel, n.kind])).toEqual([["email", "open"]]);

    const results = await Promise.all([sendNotification(db, ours[0]!, now), sendNotification(db, ours[0]!, now)]);
    expect(results.map((r) => r.sent).sort()).toEqual([false, true]);
    expect(alertsAbout(jobType)).toHaveLength(1);
    // And a later check has nothing left to send about it.
    const later = await evaluateAlerts(db, { now: shift(now, 60), thresholds: alertThresholds() });
    expect(later.toNotify.filter((n) => n.incident.jobType === jobType)).toEqual([]);
  });

  it("opens the daily rule for a slow leak the hourly one never sees", async () => {
    const jobType = uniqueType("alert-leak");
    types.push(jobType);
    const now = shift(T0, 6 * 3_600);
    // 101 dead letters over the last 21 hours, 5 an hour or so: never more than 10 in one.
    await insertJobs(
      orgId,
      jobType,
      Array.from({ length: 101 }, (_, i) => ({
        status: "failed" as const,
        startedAt: shift(now, -(i * 750 + 120)),
        failedAt: shift(now, -(i * 750 + 60)),
      })),
    );
    const evaluation = await check(now);
    expect(evaluation.failing.filter((f) => f.jobType === jobType)).toEqual([
      { rule: "dead_letters_daily", jobType, value: 101, threshold: 100 },
    ]);
    expect(alertsAbout(jobType).map((email) => email.subject)).toEqual([
      `Alert: ${jobType}: 101 jobs failed for good in the last 24 hours`,
    ]);
  });

  it("drops an opening found due before its incident resolved: a step retried late says nothing", async () => {
    const jobType = uniqueType("alert-stale");
    types.push(jobType);
    const now = shift(T0, -14 * 3_600);
    await burst(jobType, shift(now, -300));
    const due = (await evaluateAlerts(db, { now, thresholds: alertThresholds() })).toNotify.filter((n) => n.incident.jobType === jobType);
    expect(due.map((n) => [n.channel, n.kind])).toEqual([["email", "open"]]);

    // Two hours on the incident has resolved; only then does the opening's step get to run.
    const later = shift(now, 7_200);
    await evaluateAlerts(db, { now: later, thresholds: alertThresholds() });
    expect((await incidentsOf(jobType))[0]!.resolved_at).not.toBeNull();
    expect(await sendNotification(db, due[0]!, later)).toEqual({ sent: false });
    expect(alertsAbout(jobType)).toEqual([]);
    // Given back, not marked sent: the channel never heard it open, so it hears no resolution either.
    const { data } = await db.from("alert_notifications").select().eq("incident_id", due[0]!.incident.id).throwOnError();
    expect(data).toEqual([]);
    const after = await evaluateAlerts(db, { now: shift(later, 60), thresholds: alertThresholds() });
    expect(after.toNotify.filter((n) => n.incident.jobType === jobType)).toEqual([]);
  });

  it("names an admin by user id, never by address, when Resend refuses their alert", async () => {
    const jobType = uniqueType("alert-refused");
    types.push(jobType);
    const now = shift(T0, -10 * 3_600);
    await burst(jobType, shift(now, -300));
    // A provider that quotes the address back in its error.
    await fetch(`${mail.url}/_devstack/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 1, status: 422, message: `Invalid \`to\` field: ${admin.email}`, to: admin.email }),
    });
    const due = (await evaluateAlerts(db, { now, thresholds: alertThresholds() })).toNotify.filter((n) => n.incident.jobType === jobType);
    const error: unknown = await sendNotification(db, due[0]!, now).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AlertDeliveryError", permanent: true });
    const { message } = error as Error;
    expect(message).toContain(admin.id);
    expect(message.toLowerCase()).not.toContain(admin.email.toLowerCase());
    expect(alertsAbout(jobType)).toEqual([]);
  });
});
