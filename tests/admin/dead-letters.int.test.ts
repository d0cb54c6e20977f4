import { Inngest } from "inngest";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { userSignedUp, userSignedUpEventId } from "@/inngest/events";
import type { AuditEntryView, AuditPage } from "@/lib/admin/audit";
import type { AdminJobView, DeadLetterPage } from "@/lib/admin/dead-letters";
import type { BulkPreview } from "@/lib/admin/replay";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, makePlatformAdmin, signUpUser, type TestUser } from "../support/supabase";
import { db, minutesAgo, postJson, readJob, seedFailedWelcome, waitForTerminal } from "./support";

/**
 * Dead letters and replays through the real app: a job that really failed shows up with
 * its error, a replay runs the original event again as a new job that completes, bulk
 * replay keeps to its filter and cap and replays only what was confirmed, and an
 * organisation's admin sees and replays only that organisation's jobs. Every action is
 * in the audit log. Also: the crons run by hand from the admin route.
 */
describe(`dead letters and replay (${inject("database")})`, () => {
  let stack: AppStack;
  let inngest: Inngest;
  let operator: ApiClient;
  let teamAdmin: ApiClient;
  let teamOrg: string;
  let otherTeamOrg: string;

  beforeAll(async () => {
    stack = await startAppStack();
    inngest = new Inngest({ id: "offload-tests", isDev: true, baseUrl: stack.executor.url });
    [operator, teamAdmin] = await Promise.all([
      signUpThroughApp(stack.app.url, "Olive Operator"),
      signUpThroughApp(stack.app.url, "Tess Team"),
    ]);
    await makePlatformAdmin(operator.userId);
    teamOrg = await createTeamOrg([{ userId: teamAdmin.userId, role: "admin" }], { name: "Acme" });
    otherTeamOrg = await createTeamOrg([], { name: "Globex" });
    // next dev compiles a route on its first request: do that here, not in a test's time.
    const nothing = "00000000-0000-4000-8000-000000000000";
    for (const path of ["/api/admin/dead-letters", `/api/admin/jobs/${nothing}`, "/api/admin/audit"]) await operator.fetch(path);
    for (const path of [`/api/admin/jobs/${nothing}/replay`, "/api/admin/dead-letters/replay"]) {
      await operator.fetch(path, { method: "POST", body: "{}" });
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  beforeEach(async () => {
    await fetch(`${stack.mail.url}/_devstack/fail`, { method: "DELETE" });
  });

  const getJob = (client: ApiClient, id: string) => client.json<AdminJobView>(`/api/admin/jobs/${id}`);
  const deadLetters = (client: ApiClient, query: Record<string, string>) =>
    client.json<DeadLetterPage>(`/api/admin/dead-letters?${new URLSearchParams(query)}`);

  async function auditEntries(client: ApiClient, action: string): Promise<AuditEntryView[]> {
    const { body } = await client.json<AuditPage>("/api/admin/audit?limit=200");
    return body.entries.filter((entry) => entry.action === action);
  }

  /** A welcome email that Resend refuses (422, not retried): a real dead letter. */
  async function failWelcomeEmail(user: TestUser) {
    await fetch(`${stack.mail.url}/_devstack/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 1, status: 422, message: "Invalid `to` field.", to: user.email }),
    });
    await inngest.send(
      userSignedUp.create(
        { userId: user.id, orgId: user.orgId, email: user.email },
        { id: userSignedUpEventId(user.id) },
      ),
    );
    await expect
      .poll(async () => (await db.from("jobs").select("status").eq("user_id", user.id).eq("type", "welcome-email")).data, {
        timeout: 30_000,
      })
      .toEqual([{ status: "failed" }]);
    const { data } = await db.from("jobs").select().eq("user_id", user.id).eq("type", "welcome-email").single();
    return data!;
  }

  it("lists a job that really failed, with its error, attempts, payload and failure times", async () => {
    const victim = await signUpUser("Vic");
    const failed = await failWelcomeEmail(victim);

    const { status, body } = await deadLetters(operator, { type: "welcome-email", orgId: victim.orgId });
    expect(status).toBe(200);
    expect(body.jobs).toHaveLength(1);
    const [job] = body.jobs;
    expect(job).toMatchObject({
      id: failed.id,
      type: "welcome-email",
      status: "failed",
      orgId: victim.orgId,
      userEmail: victim.email,
      attempt: 1,
      maxAttempts: 5,
      eventName: "app/user.signed_up",
      payload: { userId: victim.id, orgId: victim.orgId, email: victim.email },
      replayedAt: null,
      replayId: null,
      replayBlocker: null,
    });
    expect(job!.error).toMatch(/Resend rejected the welcome email \(422\): Invalid `to` field\./);
    expect(job!.firstFailedAt).not.toBeNull();
    expect(Date.parse(job!.failedAt!)).toBeGreaterThanOrEqual(Date.parse(job!.firstFailedAt!));

    // The detail says the same.
    const detail = await getJob(operator, failed.id);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual(job);
  });

  it("redacts secrets in payloads, at any depth", async () => {
    const victim = await signUpUser();
    const seeded = await seedFailedWelcome(victim, {
      orgId: victim.orgId,
      type: "webhook-test",
      payload: { url: "https://example.com", signingSecret: "whsec_1", headers: { Authorization: "Bearer x" } },
    });
    const { body } = await getJob(operator, seeded.id);
    expect(body.payload).toEqual({
      url: "https://example.com",
      signingSecret: "[redacted]",
      headers: { Authorization: "[redacted]" },
    });
  });

  it("replays a failed job: a new job runs the original event to completion, linked to the old one, audited", async () => {
    const victim = await signUpUser("Rita");
    const failed = await failWelcomeEmail(victim);
    expect(stack.mail.outbox.list({ to: victim.email })).toHaveLength(0);

    const replayed = await postJson(operator, `/api/admin/jobs/${failed.id}/replay`);
    expect(replayed.status).toBe(202);
    const replayId = replayed.body.replayId as string;
    expect(replayed.body).toMatchObject({ jobId: failed.id, statusUrl: `/api/admin/jobs/${replayId}` });

    const replay = await waitForTerminal(replayId);
    expect(replay).toMatchObject({
      status: "completed",
      type: "welcome-email",
      org_id: victim.orgId,
      user_id: victim.id,
      replay_of: failed.id,
      event_name: "app/user.signed_up",
    });
    expect(stack.mail.outbox.list({ to: victim.email })).toHaveLength(1);
    // The run went through the executor with a new event id, carrying the new job's id.
    const run = [...stack.executor.store.runs.values()].find((r) => r.event.id === `replay-${replayId}`);
    expect(run?.event.data).toMatchObject({ jobId: replayId, userId: victim.id });

    // The original stays failed, as history, and points at its replay.
    const original = await getJob(operator, failed.id);
    expect(original.body).toMatchObject({ status: "failed", replayId, replayBlocker: "This job has already been replayed." });
    expect(original.body.replayedAt).not.toBeNull();
    expect((await getJob(operator, replayId)).body).toMatchObject({ status: "completed", replayOf: failed.id });

    const [entry] = (await auditEntries(operator, "job.replay")).filter((e) => e.jobIds.includes(failed.id));
    // Both jobs, and which replays which: the log leads to the replay too.
    expect(entry).toMatchObject({
      actorEmail: operator.email,
      orgId: victim.orgId,
      jobIds: [failed.id, replayId],
      details: { replays: { [failed.id]: replayId } },
    });

    // Once only, and only failed jobs.
    const again = await postJson(operator, `/api/admin/jobs/${failed.id}/replay`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "not_replayable" } });
    const completed = await postJson(operator, `/api/admin/jobs/${replayId}/replay`);
    expect(completed.status).toBe(409);
    expect(completed.body).toMatchObject({ error: { message: "Only failed jobs can be replayed." } });
    expect(stack.mail.outbox.list({ to: victim.email })).toHaveLength(1);
  });

  it("sends a replay that was created but never sent (the request died in between) when asked again", async () => {
    const victim = await signUpUser();
    const failed = await seedFailedWelcome(victim, { orgId: victim.orgId });
    // What a crash between creating the replay and sending its event leaves behind.
    const { data: stranded, error } = await db
      .from("jobs")
      .insert({
        org_id: failed.org_id,
        user_id: failed.user_id,
        type: failed.type,
        payload: failed.payload,
        max_attempts: failed.max_attempts,
        event_name: failed.event_name,
        replay_of: failed.id,
        idempotency_key: `replay-of:${failed.id}`,
      })
      .select()
      .single();
    expect(error).toBeNull();

    const retried = await postJson(operator, `/api/admin/jobs/${failed.id}/replay`);
    expect(retried.status).toBe(202);
    expect(retried.body.replayId).toBe(stranded!.id);
    expect(await waitForTerminal(stranded!.id)).toMatchObject({ status: "completed" });
    const { count } = await db.from("jobs").select("id", { count: "exact", head: true }).eq("replay_of", failed.id);
    expect(count).toBe(1);
  });

  it("refuses, with 409, to replay a job that doesn't record its event", async () => {
    const victim = await signUpUser();
    const { data: legacy } = await db
      .from("jobs")
      .insert({ org_id: victim.orgId, type: "welcome-email", status: "failed", error: "old", failed_at: minutesAgo(5) })
      .select()
      .single();
    const response = await postJson(operator, `/api/admin/jobs/${legacy!.id}/replay`);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ error: { code: "not_replayable", message: expect.stringMatching(/event/) } });
    expect((await readJob(legacy!.id)).replayed_at).toBeNull();
  });

  describe("bulk replay", () => {
    let victims: TestUser[];
    const since = minutesAgo(60);

    beforeAll(async () => {
      victims = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => signUpUser(`Bulk ${n}`)));
    });

    it("replays only what matches the filter, oldest first, at most the cap, after a confirmation of exactly those jobs", async () => {
      const [a, b, c, d, e, f] = victims as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
      // Three match (type, organisation, since); the others each miss one condition.
      const matching = [
        await seedFailedWelcome(a, { orgId: teamOrg, failedAt: minutesAgo(30) }),
        await seedFailedWelcome(b, { orgId: teamOrg, failedAt: minutesAgo(20) }),
        await seedFailedWelcome(c, { orgId: teamOrg, failedAt: minutesAgo(10) }),
      ];
      const others = [
        await seedFailedWelcome(d, { orgId: teamOrg, failedAt: minutesAgo(120) }),
        await seedFailedWelcome(e, { orgId: teamOrg, type: "send-digest", failedAt: minutesAgo(5) }),
        await seedFailedWelcome(f, { orgId: otherTeamOrg, failedAt: minutesAgo(5) }),
      ];
      const filter = { type: "welcome-email", orgId: teamOrg, failedSince: since };

      const preview = await postJson(operator, "/api/admin/dead-letters/replay", { filter, cap: 2 });
      expect(preview.status).toBe(200);
      const first = preview.body.preview as BulkPreview;
      expect(first).toMatchObject({ matching: 3, count: 2, cap: 2 });
      // A preview changes nothing.
      expect((await readJob(matching[0]!.id)).replayed_at).toBeNull();

      // A confirmation that doesn't name the previewed selection does nothing.
      const wrong = await postJson(operator, "/api/admin/dead-letters/replay", {
        filter,
        cap: 2,
        confirm: { count: 2, selection: "not-what-was-shown" },
      });
      expect(wrong.status).toBe(409);
      expect(wrong.body).toMatchObject({ error: { code: "selection_changed" }, preview: first });

      const confirmed = await postJson(operator, "/api/admin/dead-letters/replay", {
        filter,
        cap: 2,
        confirm: { count: first.count, selection: first.selection },
      });
      expect(confirmed.status).toBe(202);
      const replayed = confirmed.body.replayed as { jobId: string; replayId: string }[];
      expect(confirmed.body.failed).toEqual([]);
      // The cap, oldest first.
      expect(replayed.map((r) => r.jobId).sort()).toEqual([matching[0]!.id, matching[1]!.id].sort());
      for (const { replayId, jobId } of replayed) {
        expect(await waitForTerminal(replayId)).toMatchObject({ status: "completed", replay_of: jobId, org_id: teamOrg });
      }
      for (const job of [matching[2]!, ...others]) expect((await readJob(job.id)).replayed_at, job.type).toBeNull();

      const [entry] = (await auditEntries(operator, "job.replay_bulk")).filter((x) => x.jobIds.includes(matching[0]!.id));
      expect(entry).toMatchObject({ actorEmail: operator.email, orgId: teamOrg, details: { cap: 2, matching: 3, count: 2 } });
      const replayIds = replayed.map((r) => r.replayId);
      expect([...entry!.jobIds].sort()).toEqual([matching[0]!.id, matching[1]!.id, ...replayIds].sort());
      expect(entry!.details).toMatchObject({ replays: Object.fromEntries(replayed.map((r) => [r.jobId, r.replayId])) });

      // The old confirmation is stale now; the next round finds the one left.
      const stale = await postJson(operator, "/api/admin/dead-letters/replay", {
        filter,
        cap: 2,
        confirm: { count: first.count, selection: first.selection },
      });
      expect(stale.status).toBe(409);
      expect(stale.body.preview).toMatchObject({ matching: 1, count: 1 });
    });

    it("refuses a cap above the hard maximum and a filter it doesn't understand", async () => {
      const tooMany = await postJson(operator, "/api/admin/dead-letters/replay", { filter: {}, cap: 100_000 });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toMatchObject({ error: { code: "invalid_request", fields: { cap: expect.any(String) } } });
      const badFilter = await postJson(operator, "/api/admin/dead-letters/replay", {
        filter: { failedSince: "yesterday", status: "completed" },
      });
      expect(badFilter.status).toBe(400);
      const backwards = await deadLetters(operator, { failedSince: minutesAgo(1), failedUntil: minutesAgo(10) });
      expect(backwards.status).toBe(400);
      expect(backwards.body).toMatchObject({ error: { fields: { failedUntil: expect.any(String) } } });
    });
  });

  describe("an organisation's admin", () => {
    it("sees and replays that organisation's dead letters and nothing else", async () => {
      const [mine, theirs] = await Promise.all([signUpUser("Mine"), signUpUser("Theirs")]);
      const own = await seedFailedWelcome(mine, { orgId: teamOrg });
      const foreign = await seedFailedWelcome(theirs, { orgId: otherTeamOrg });

      const list = await deadLetters(teamAdmin, { limit: "100" });
      expect(list.status).toBe(200);
      expect(list.body.jobs.map((job) => job.id)).toContain(own.id);
      expect(new Set(list.body.jobs.map((job) => job.orgId))).toEqual(new Set([teamOrg]));

      expect((await getJob(teamAdmin, foreign.id)).status).toBe(404);
      expect((await postJson(teamAdmin, `/api/admin/jobs/${foreign.id}/replay`)).status).toBe(404);
      expect((await deadLetters(teamAdmin, { orgId: otherTeamOrg })).status).toBe(404);
      const foreignBulk = await postJson(teamAdmin, "/api/admin/dead-letters/replay", { filter: { orgId: otherTeamOrg } });
      expect(foreignBulk.status).toBe(404);
      // Unfiltered, a bulk replay covers only the organisations they administer.
      const preview = (await postJson(teamAdmin, "/api/admin/dead-letters/replay", { filter: {}, cap: 500 })).body
        .preview as BulkPreview;
      const { count: teamWaiting } = await db
        .from("jobs")
        .select("id", { count: "exact", head: true })
        .eq("org_id", teamOrg)
        .eq("status", "failed")
        .is("replayed_at", null)
        .not("event_name", "is", null);
      expect(preview.matching).toBe(teamWaiting);
      expect((await readJob(foreign.id)).replayed_at).toBeNull();

      const replayed = await postJson(teamAdmin, `/api/admin/jobs/${own.id}/replay`);
      expect(replayed.status).toBe(202);
      expect(await waitForTerminal(replayed.body.replayId as string)).toMatchObject({ status: "completed" });

      // Their audit log: what concerns their organisation, not the platform's other business.
      const { body } = await teamAdmin.json<AuditPage>("/api/admin/audit?limit=200");
      expect(body.entries.some((entry) => entry.jobIds.includes(own.id))).toBe(true);
      expect(body.entries.every((entry) => entry.orgId === teamOrg || entry.actorEmail === teamAdmin.email)).toBe(true);
    });
  });

  describe("crons run by hand", () => {
    const runsOf = (fn: string) =>
      [...stack.executor.store.runs.values()].filter((run) => run.functionId.endsWith(`-${fn}`));

    it("runs cleanup-jobs now, which deletes what is due, and audits it", async () => {
      const owner = await signUpUser();
      const { data: expired } = await db
        .from("jobs")
        .insert({ org_id: owner.orgId, type: "cleanup-test", status: "completed", completed_at: minutesAgo(60 * 24 * 31) })
        .select()
        .single();
      const before = runsOf("cleanup-jobs").length;

      const response = await postJson(operator, "/api/admin/crons/cleanup-jobs/run");
      expect(response.status).toBe(202);
      await expect.poll(() => runsOf("cleanup-jobs").filter((run) => run.status === "Completed").length, { timeout: 30_000 }).toBe(before + 1);
      expect((await db.from("jobs").select("id").eq("id", expired!.id)).data).toEqual([]);

      const [entry] = await auditEntries(operator, "cron.run");
      expect(entry).toMatchObject({ actorEmail: operator.email, details: { cron: "cleanup-jobs" } });
    });

    it("runs daily-digest now and audits it", async () => {
      const before = runsOf("daily-digest").length;
      const response = await postJson(operator, "/api/admin/crons/daily-digest/run");
      expect(response.status).toBe(202);
      expect(response.body.eventId).toEqual(expect.any(String));
      await expect.poll(() => runsOf("daily-digest").filter((run) => run.status === "Completed").length, { timeout: 30_000 }).toBe(before + 1);
      const [entry] = await auditEntries(operator, "cron.run");
      expect(entry).toMatchObject({ details: { cron: "daily-digest" } });
    });

    it("is for platform admins only", async () => {
      expect((await postJson(teamAdmin, "/api/admin/crons/daily-digest/run")).status).toBe(404);
      expect((await postJson(operator, "/api/admin/crons/no-such-cron/run")).status).toBe(404);
    });
  });
});
