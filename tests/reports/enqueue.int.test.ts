import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { reportRequested } from "@/inngest/events";
import { jobTypes } from "@/lib/jobs/registry";
import { addDaysToDate, localToday } from "@/lib/reports/request";
import type { Database } from "@/lib/supabase/database.types";
import { anonClient, createTeamOrg, serviceClient, signUpUser, type TestUser } from "../support/supabase";

type Args = Database["public"]["Functions"]["enqueue_report"]["Args"];

/**
 * `enqueue_report`, the one database call behind POST /api/reports, against the database
 * directly: every decision it makes, what it writes, and who may call it.
 */
describe(`enqueue_report (${inject("database")})`, () => {
  const db = serviceClient();
  const day = { p_kind: "summary", p_from: "2026-10-01", p_to: "2026-10-02", p_format: "csv", p_notify_by_email: false } as const;
  const limit = (n: number, bucket = `test-${randomUUID().slice(0, 8)}`) => ({
    p_rate_limit_bucket: bucket,
    p_rate_limit: n,
    p_rate_limit_window_seconds: 3600,
  });

  async function enqueue(user: Pick<TestUser, "id">, args: Partial<Args> = {}) {
    const { data, error } = await db.rpc("enqueue_report", { p_user_id: user.id, ...day, ...limit(100), ...args });
    if (error) throw new Error(error.message);
    return data as {
      outcome: string;
      job?: { id: string; status: string; org_id: string; payload: unknown };
      plan?: string;
      retry_after_ms?: number;
      callback?: { url: string; secret: string } | null;
    };
  }

  const callback = () => ({ p_callback_url: `https://hooks.example.com/${randomUUID()}`, p_callback_secret: `whsec_${randomBytes(32).toString("base64")}` });

  /** Jobs, report rows and rate-limit rows of an organisation: what a refusal must leave as it was. */
  async function written(orgId: string) {
    const [jobs, reports, limits] = await Promise.all([
      db.from("jobs").select("id").eq("org_id", orgId),
      db.from("reports").select("job_id").eq("org_id", orgId),
      db.from("rate_limits").select("bucket, tat").eq("org_id", orgId).order("bucket"),
    ]);
    return { jobs: jobs.data!.length, reports: reports.data!.length, limits: limits.data };
  }

  it("writes a pending report job and its report row, in the caller's organisation, and answers the plan", async () => {
    const user = await signUpUser();
    await db.from("profiles").update({ time_zone: "Europe/Berlin" }).eq("id", user.id);
    await db.from("organisations").update({ plan: "pro" }).eq("id", user.orgId);
    const key = randomUUID();
    const answer = await enqueue(user, { p_idempotency_key: key, p_notify_by_email: true });
    expect(answer).toMatchObject({ outcome: "created", plan: "pro", job: { status: "pending", org_id: user.orgId } });

    const { data: job } = await db.from("jobs").select().eq("id", answer.job!.id).single();
    expect(job).toMatchObject({
      org_id: user.orgId,
      user_id: user.id,
      // enqueue_report's own copies of the registry's report entry.
      type: jobTypes.report.type,
      status: "pending",
      max_attempts: jobTypes.report.maxAttempts,
      notify_by_email: true,
      idempotency_key: `${user.orgId}:${key}`,
      event_name: reportRequested.name,
      replay_of: null,
      payload: { kind: "summary", from: "2026-10-01", to: "2026-10-02", format: "csv", timeZone: "Europe/Berlin", notifyByEmail: true },
    });
    expect(answer.job!.payload).toEqual(job!.payload);
    const { data: report } = await db.from("reports").select().eq("job_id", job!.id).single();
    expect(report).toMatchObject({ org_id: user.orgId, kind: "summary", range_from: "2026-10-01", range_to: "2026-10-02", time_zone: "Europe/Berlin" });
  });

  it("answers a repeated key with its job and takes no token; a different request under it is refused and writes nothing", async () => {
    const user = await signUpUser();
    const key = randomUUID();
    const rateLimit = limit(5);
    const first = await enqueue(user, { p_idempotency_key: key, ...rateLimit });
    const before = await written(user.orgId);

    const again = await enqueue(user, { p_idempotency_key: key, ...rateLimit });
    expect(again).toMatchObject({ outcome: "existing", job: { id: first.job!.id } });
    for (const changed of [{ p_to: "2026-10-03" }, { p_kind: "activity" }, { p_notify_by_email: true }] as const) {
      expect(await enqueue(user, { p_idempotency_key: key, ...rateLimit, ...changed }), JSON.stringify(changed)).toEqual({
        outcome: "key_reused",
      });
    }
    expect(await written(user.orgId)).toEqual(before);
  });

  it("keeps keys apart per organisation", async () => {
    const [a, b] = await Promise.all([signUpUser(), signUpUser()]);
    const key = randomUUID();
    const [fromA, fromB] = [await enqueue(a, { p_idempotency_key: key }), await enqueue(b, { p_idempotency_key: key, p_kind: "activity" })];
    expect([fromA.outcome, fromB.outcome]).toEqual(["created", "created"]);
    expect(fromB.job!.org_id).toBe(b.orgId);
  });

  it("resolves the same key sent many times at once to one job, one report and one token", async () => {
    const user = await signUpUser();
    const key = randomUUID();
    const rateLimit = limit(2);
    const answers = await Promise.all(Array.from({ length: 8 }, () => enqueue(user, { p_idempotency_key: key, ...rateLimit })));
    expect(answers.filter((a) => a.outcome === "created")).toHaveLength(1);
    expect(answers.filter((a) => a.outcome === "existing")).toHaveLength(7);
    expect(new Set(answers.map((a) => a.job!.id)).size).toBe(1);
    const after = await written(user.orgId);
    expect([after.jobs, after.reports]).toEqual([1, 1]);
    // Of the two tokens, the eight took one: one more request passes, the next is refused.
    expect((await enqueue(user, rateLimit)).outcome).toBe("created");
    expect((await enqueue(user, rateLimit)).outcome).toBe("rate_limited");
  });

  it("over the rate limit, refuses with the wait and writes nothing", async () => {
    const user = await signUpUser();
    const rateLimit = limit(1);
    expect((await enqueue(user, rateLimit)).outcome).toBe("created");
    const before = await written(user.orgId);
    const refused = await enqueue(user, { ...rateLimit, p_idempotency_key: randomUUID() });
    expect(refused).toMatchObject({ outcome: "rate_limited" });
    expect(refused.retry_after_ms).toBeGreaterThan(0);
    expect(await written(user.orgId)).toEqual(before);
  });

  it("refuses a range ending after today where the user is, before taking a token, and names that today", async () => {
    const user = await signUpUser();
    await db.from("profiles").update({ time_zone: "Pacific/Kiritimati" }).eq("id", user.id);
    const zoneToday = localToday("Pacific/Kiritimati");
    const tomorrow = addDaysToDate(zoneToday, 1);
    const before = await written(user.orgId);
    expect(await enqueue(user, { p_from: zoneToday, p_to: tomorrow })).toEqual({
      outcome: "future_day",
      today: zoneToday,
      time_zone: "Pacific/Kiritimati",
    });
    expect(await written(user.orgId)).toEqual(before);
    expect((await enqueue(user, { p_from: zoneToday, p_to: zoneToday })).outcome).toBe("created");
  });

  it("files the report in the organisation the user switched to, and back", async () => {
    const user = await signUpUser();
    const { data: teamId, error } = await user.client.rpc("create_team", { p_name: "Reporters", p_slug: `reporters-${user.id.slice(0, 8)}` });
    expect(error).toBeNull();
    // Creating a team makes it the current organisation.
    expect((await enqueue(user)).job?.org_id).toBe(teamId);
    const switched = await user.client.from("current_organisations").upsert({ user_id: user.id, org_id: user.orgId }, { onConflict: "user_id" });
    expect(switched.error).toBeNull();
    expect((await enqueue(user)).job?.org_id).toBe(user.orgId);
  });

  it("answers no_organisation for a user who belongs to none, and writes nothing", async () => {
    const user = await signUpUser();
    // A personal workspace keeps its owner while it exists: the user leaves it only with it.
    const { error } = await db.from("organisations").delete().eq("id", user.orgId);
    expect(error).toBeNull();
    expect(await enqueue(user)).toEqual({ outcome: "no_organisation" });
    expect((await written(user.orgId)).jobs).toBe(0);
  });

  it("refuses arguments that would corrupt data, whoever validated them before", async () => {
    const user = await signUpUser();
    for (const bad of [
      { p_from: "2025-01-01", p_to: "2026-10-01" },
      { p_from: "2026-10-02", p_to: "2026-10-01" },
      { p_format: "xlsx" },
      { p_idempotency_key: "x".repeat(201) },
      { p_idempotency_key: "new\nline" },
    ]) {
      const { error } = await db.rpc("enqueue_report", { p_user_id: user.id, ...day, ...limit(100), ...bad });
      expect(error?.code, JSON.stringify(bad)).toBe("22023"); // invalid_parameter_value
    }
    expect((await written(user.orgId)).jobs).toBe(0);
  });

  it("is the server's alone: neither a signed-in user nor anon may call it, for any organisation", async () => {
    const [user, other] = await Promise.all([signUpUser(), signUpUser()]);
    for (const client of [anonClient(), user.client]) {
      for (const target of [user, other]) {
        const { error } = await client.rpc("enqueue_report", { p_user_id: target.id, ...day, ...limit(1_000_000) });
        expect(error?.code).toBe("42501"); // insufficient_privilege
      }
    }
    expect([(await written(user.orgId)).jobs, (await written(other.orgId)).jobs]).toEqual([0, 0]);
  });

  describe("with a callback", () => {
    it("makes the job's callback in the same call: an endpoint of the job's own, with its secret, told of the report's end", async () => {
      const user = await signUpUser();
      const asked = callback();
      const answer = await enqueue(user, asked);
      expect(answer).toMatchObject({ outcome: "created", callback: { url: asked.p_callback_url, secret: asked.p_callback_secret } });
      const { data: endpoints } = await db.from("webhook_endpoints").select().eq("job_id", answer.job!.id);
      expect(endpoints).toEqual([
        expect.objectContaining({ org_id: user.orgId, url: asked.p_callback_url, enabled: true, created_by: user.id, event_types: ["report.ready", "job.failed", "job.cancelled"] }),
      ]);
      const { data: secrets } = await db.from("webhook_secrets").select("secret, expires_at").eq("endpoint_id", endpoints![0]!.id);
      expect(secrets).toEqual([{ secret: asked.p_callback_secret, expires_at: null }]);
      // Without one, the answer says so and nothing is made.
      const plain = await enqueue(user);
      expect(plain).toMatchObject({ outcome: "created", callback: null });
      expect((await db.from("webhook_endpoints").select("id").eq("job_id", plain.job!.id)).data).toEqual([]);
    });

    it("counts the callback as part of the request a key stands for, and answers a repeat's secret to the asker alone", async () => {
      const asker = await signUpUser();
      const teammate = await signUpUser();
      const team = await createTeamOrg([
        { userId: asker.id, role: "owner" },
        { userId: teammate.id, role: "member" },
      ]);
      for (const user of [asker, teammate]) {
        const switched = await db.from("current_organisations").upsert({ user_id: user.id, org_id: team }, { onConflict: "user_id" });
        expect(switched.error).toBeNull();
      }
      const key = randomUUID();
      const asked = callback();
      const first = await enqueue(asker, { p_idempotency_key: key, ...asked });
      expect(first.outcome).toBe("created");
      const before = await written(team);
      const endpointsBefore = (await db.from("webhook_endpoints").select("id").eq("org_id", team)).data;

      // The same request again, with a secret the server would have made anew: the first one's.
      const again = await enqueue(asker, { p_idempotency_key: key, ...asked, p_callback_secret: callback().p_callback_secret });
      expect(again).toMatchObject({ outcome: "existing", job: { id: first.job!.id }, callback: { url: asked.p_callback_url, secret: asked.p_callback_secret } });
      const byTeammate = await enqueue(teammate, { p_idempotency_key: key, ...asked });
      expect(byTeammate).toMatchObject({ outcome: "existing", job: { id: first.job!.id } });
      expect(byTeammate.callback).toBeNull();

      expect(await enqueue(asker, { p_idempotency_key: key, ...callback() })).toEqual({ outcome: "key_reused" });
      expect(await enqueue(asker, { p_idempotency_key: key })).toEqual({ outcome: "key_reused" });
      const plainKey = randomUUID();
      await enqueue(asker, { p_idempotency_key: plainKey });
      expect(await enqueue(asker, { p_idempotency_key: plainKey, ...callback() })).toEqual({ outcome: "key_reused" });
      // Only the plain key's job is new.
      const after = await written(team);
      expect([after.jobs, after.reports]).toEqual([before.jobs + 1, before.reports + 1]);
      expect((await db.from("webhook_endpoints").select("id").eq("org_id", team)).data).toEqual(endpointsBefore);
    });

    it("wants the URL and its secret together, and writes nothing when refused for any reason", async () => {
      const user = await signUpUser();
      const { p_callback_url, p_callback_secret } = callback();
      for (const half of [{ p_callback_url }, { p_callback_secret }]) {
        const { error } = await db.rpc("enqueue_report", { p_user_id: user.id, ...day, ...limit(100), ...half });
        expect(error?.code, JSON.stringify(half)).toBe("22023");
      }
      const { error } = await db.rpc("enqueue_report", { p_user_id: user.id, ...day, ...limit(100), p_callback_url: "ftp://x", p_callback_secret });
      expect(error?.code).toBe("23514"); // the endpoint's URL check, and the job with it rolled back
      const rateLimit = limit(1);
      await enqueue(user, rateLimit);
      expect(await enqueue(user, { ...rateLimit, ...callback() })).toMatchObject({ outcome: "rate_limited" });
      expect((await written(user.orgId)).jobs).toBe(1);
      expect((await db.from("webhook_endpoints").select("id").eq("org_id", user.orgId)).data).toEqual([]);
    });
  });
});
