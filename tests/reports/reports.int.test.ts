import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { z } from "zod";
import { reportRequested } from "@/inngest/events";
import type { JobStatusView } from "@/lib/jobs/view";
import { addDaysToDate, localToday } from "@/lib/reports/request";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { sql } from "../support/sql";
import { serviceClient } from "../support/supabase";

/**
 * Reports through the real app: enqueue, progress, the CSV's totals, idempotency,
 * cancellation, "email me", tenant isolation and bad input.
 */
describe(`reports (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let alice: ApiClient;
  let mallory: ApiClient;
  let aliceOrg: string;

  const orgOf = async (userId: string) =>
    (await db.from("memberships").select("org_id").eq("user_id", userId).single()).data!.org_id;

  /** supabase/seed.sql's demo generator. */
  async function seed(orgId: string, rows: number, from: string, to: string) {
    await sql("select public.generate_activity($1, $2, $3, $4)", [orgId, rows, from, to]);
  }

  /** Row count and amount total of the organisation's activity in [from, to], read page by page. */
  async function activityTotals(orgId: string, from: string, toExclusive: string) {
    let count = 0;
    let cents = 0;
    for (let page = 0; ; page++) {
      const { data, error } = await db
        .from("activities")
        .select("amount")
        .eq("org_id", orgId)
        .gte("occurred_at", from)
        .lt("occurred_at", toExclusive)
        .order("id")
        .range(page * 1000, page * 1000 + 999);
      if (error) throw new Error(error.message);
      count += data.length;
      cents += data.reduce((sum, row) => sum + Math.round(Number(row.amount) * 100), 0);
      if (data.length < 1000) return { count, cents };
    }
  }

  const requestReport = (client: ApiClient, body: unknown, key: string = randomUUID()) =>
    client.json<{ jobId: string; statusUrl: string }>("/api/reports", {
      method: "POST",
      headers: { "Idempotency-Key": key },
      body: JSON.stringify(body),
    });

  async function waitForJob(client: ApiClient, jobId: string, until: (job: JobStatusView) => boolean) {
    const seen: JobStatusView[] = [];
    const job = await vi.waitFor(
      async () => {
        const { body } = await client.json<JobStatusView>(`/api/jobs/${jobId}`);
        seen.push(body);
        if (until(body)) return body;
        throw new Error(`job ${jobId} never got there: last ${JSON.stringify(body)}`);
      },
      { timeout: 60_000, interval: 50 },
    );
    return { job, seen };
  }
  const finished = (job: JobStatusView) => ["completed", "failed", "cancelled"].includes(job.status);

  beforeAll(async () => {
    stack = await startAppStack();
    [alice, mallory] = await Promise.all([signUpThroughApp(stack.app.url, "Alice"), signUpThroughApp(stack.app.url, "Mallory")]);
    aliceOrg = await orgOf(alice.userId);
    await seed(aliceOrg, 20_000, "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  beforeEach(async () => {
    await fetch(`${stack.mail.url}/_devstack/fail`, { method: "DELETE" });
  });

  /** A new user of their own, for tests that need data or settings nobody else shares. */
  async function newUser(name: string, timeZone?: string) {
    const client = await signUpThroughApp(stack.app.url, name);
    if (timeZone) {
      const { error } = await db.from("profiles").update({ time_zone: timeZone }).eq("id", client.userId);
      if (error) throw new Error(error.message);
    }
    return { client, orgId: await orgOf(client.userId) };
  }

  /** The day `offset` days from today in `timeZone`, as YYYY-MM-DD. */
  const localDay = (timeZone: string, offset = 0) => addDaysToDate(localToday(timeZone), offset);

  /**
   * Makes each window's write take `seconds` longer for one organisation, until the test
   * ends. With checkpointing a report runs its windows back to back in one request, which
   * on a fast machine can finish before a test has seen it midway or cancelled it.
   */
  async function slowWindows(orgId: string, seconds: number) {
    await sql(
      `create function public.test_slow_chunk() returns trigger language plpgsql as $$ begin perform pg_sleep(${z.number().positive().parse(seconds)}); return new; end $$`,
    );
    await sql(
      `create trigger test_slow_chunk before insert on public.report_chunks for each row when (new.org_id = '${z.uuid().parse(orgId)}') execute function public.test_slow_chunk()`,
    );
    onTestFinished(async () => {
      await sql("drop trigger test_slow_chunk on public.report_chunks");
      await sql("drop function public.test_slow_chunk()");
    });
  }

  it("answers 202 at once and builds a CSV whose totals equal the data", async () => {
    // Slow enough for the status polls below to see it midway.
    await slowWindows(aliceOrg, 0.1);
    const started = await requestReport(alice, { kind: "activity", from: "2026-10-01", to: "2026-10-31" });
    expect(started.status).toBe(202);
    expect(started.body.statusUrl).toBe(`/api/jobs/${started.body.jobId}`);

    const { job, seen } = await waitForJob(alice, started.body.jobId, finished);
    expect(job).toMatchObject({ status: "completed", progress: 100, type: "report" });
    // Progress moved through values in between, and never backwards.
    const progress = seen.map((s) => s.progress);
    expect(progress.some((p) => p > 0 && p < 100)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const download = await alice.fetch(`/api/reports/${job.id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("offload-activity-2026-10-01-to-2026-10-31-UTC.csv");
    const [header, ...lines] = (await download.text()).trimEnd().split("\n");
    expect(header).toBe("occurred_at,type,actor,amount");
    const expected = await activityTotals(aliceOrg, "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");
    expect(lines).toHaveLength(expected.count);
    expect(lines.reduce((sum, line) => sum + Math.round(Number(line.split(",").at(-1)) * 100), 0)).toBe(expected.cents);
    expect(job.result).toMatchObject({ rowCount: expected.count, totalAmount: expected.cents / 100 });
  });

  it("summarises per day and type with the same totals", async () => {
    const started = await requestReport(alice, { kind: "summary", from: "2026-10-10", to: "2026-10-12" });
    const { job } = await waitForJob(alice, started.body.jobId, finished);
    const csv = await (await alice.fetch(`/api/reports/${job.id}/download`)).text();
    const [header, ...lines] = csv.trimEnd().split("\n");
    expect(header).toBe("day,type,count,total_amount");
    expect(new Set(lines.map((line) => line.split(",")[0]))).toEqual(new Set(["2026-10-10", "2026-10-11", "2026-10-12"]));
    const expected = await activityTotals(aliceOrg, "2026-10-10T00:00:00Z", "2026-10-13T00:00:00Z");
    expect(lines.reduce((sum, line) => sum + Number(line.split(",")[2]), 0)).toBe(expected.count);
    expect(lines.reduce((sum, line) => sum + Math.round(Number(line.split(",")[3]) * 100), 0)).toBe(expected.cents);
    // The file's rows, and the activities they summarise: two different numbers.
    expect(lines.length).toBeLessThan(expected.count);
    expect(job.result).toMatchObject({ rowCount: lines.length, activityCount: expected.count });
  });

  it("downloads the whole file, header included, when windows or the whole range have no rows", async () => {
    const { client, orgId } = await newUser("Dana");
    // Activity on the first and last day only: the two windows between are empty.
    await seed(orgId, 30, "2026-07-01T08:00:00Z", "2026-07-01T20:00:00Z");
    await seed(orgId, 20, "2026-07-04T08:00:00Z", "2026-07-04T20:00:00Z");
    const cases = [
      { body: { kind: "activity", from: "2026-07-01", to: "2026-07-04" }, header: "occurred_at,type,actor,amount", rows: 50 },
      { body: { kind: "summary", from: "2026-07-01", to: "2026-07-04" }, header: "day,type,count,total_amount", rows: 12 },
      { body: { kind: "activity", from: "2026-05-01", to: "2026-05-03" }, header: "occurred_at,type,actor,amount", rows: 0 },
      { body: { kind: "summary", from: "2026-05-01", to: "2026-05-01" }, header: "day,type,count,total_amount", rows: 0 },
    ];
    for (const { body, header, rows } of cases) {
      const started = await requestReport(client, body);
      const { job } = await waitForJob(client, started.body.jobId, finished);
      expect(job.status).toBe("completed");
      const csv = await (await client.fetch(`/api/reports/${job.id}/download`)).text();
      expect(csv.split("\n")[0], JSON.stringify(body)).toBe(header);
      expect(csv.trimEnd().split("\n").slice(1), JSON.stringify(body)).toHaveLength(rows);
      expect(job.result).toMatchObject({ rowCount: rows });
    }
  });

  it("reads the range as the user's local days, names the zone in the file, and refuses future days", async () => {
    const { client, orgId } = await newUser("Berit", "Europe/Berlin");
    // 00:30 on Nov 2 and on Nov 3 in Berlin (UTC+1), which are Nov 1 and Nov 2 in UTC.
    await seed(orgId, 1, "2026-11-01T23:30:00Z", "2026-11-01T23:30:00Z");
    await seed(orgId, 1, "2026-11-02T23:30:00Z", "2026-11-02T23:30:00Z");

    const activity = await requestReport(client, { kind: "activity", from: "2026-11-02", to: "2026-11-02" });
    const { job } = await waitForJob(client, activity.body.jobId, finished);
    const download = await client.fetch(`/api/reports/${job.id}/download`);
    expect(download.headers.get("content-disposition")).toContain(
      'filename="offload-activity-2026-11-02-to-2026-11-02-Europe-Berlin.csv"',
    );
    const [, ...lines] = (await download.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^2026-11-02T00:30:00\+01:00,/);

    const summary = await requestReport(client, { kind: "summary", from: "2026-11-01", to: "2026-11-03" });
    const { job: summaryJob } = await waitForJob(client, summary.body.jobId, finished);
    const csv = await (await client.fetch(`/api/reports/${summaryJob.id}/download`)).text();
    expect(csv.trimEnd().split("\n").slice(1).map((line) => line.split(",")[0])).toEqual(["2026-11-02", "2026-11-03"]);

    const jobCount = async () => (await db.from("jobs").select("id", { count: "exact", head: true }).eq("org_id", orgId)).count;
    const before = await jobCount();
    const tomorrow = localDay("Europe/Berlin", 1);
    const future = await client.json<{ error: { code: string; message: string; fields?: Record<string, string> } }>(
      "/api/reports",
      { method: "POST", body: JSON.stringify({ kind: "summary", from: localDay("Europe/Berlin"), to: tomorrow }) },
    );
    expect(future.status).toBe(400);
    expect(future.body.error.fields?.to).toMatch(/future/i);
    expect(future.body.error.fields?.to).toContain("Europe/Berlin");
    // Today, in the user's zone, is fine.
    const today = await requestReport(client, { kind: "summary", from: localDay("Europe/Berlin"), to: localDay("Europe/Berlin") });
    expect(today.status).toBe(202);
    expect(await jobCount()).toBe(before! + 1);
  });

  it("returns the same job for the same Idempotency-Key", async () => {
    const body = { kind: "summary", from: "2026-10-01", to: "2026-10-02" };
    const key = randomUUID();
    const [first, second] = await Promise.all([requestReport(alice, body, key), requestReport(alice, body, key)]);
    expect(second.body.jobId).toBe(first.body.jobId);
    const other = await requestReport(alice, body);
    expect(other.body.jobId).not.toBe(first.body.jobId);
  });

  it("refuses an Idempotency-Key reused with a different body with a 422, and writes nothing", async () => {
    const key = randomUUID();
    const body = { kind: "summary", from: "2026-10-01", to: "2026-10-02" };
    const first = await requestReport(alice, body, key);
    expect(first.status).toBe(202);
    const jobs = async () => (await db.from("jobs").select("id", { count: "exact", head: true }).eq("org_id", aliceOrg)).count;
    const before = await jobs();
    for (const changed of [
      { ...body, to: "2026-10-03" },
      { ...body, kind: "activity" },
      { ...body, notifyByEmail: true },
    ]) {
      const again = await alice.json<{ error: { code: string; message: string } }>("/api/reports", {
        method: "POST",
        headers: { "Idempotency-Key": key },
        body: JSON.stringify(changed),
      });
      expect(again.status, JSON.stringify(changed)).toBe(422);
      expect(again.body.error.code).toBe("idempotency_key_reused");
      expect(again.body.error.message).toMatch(/Idempotency-Key/);
    }
    expect(await jobs()).toBe(before);
    // The same body (defaults spelled out or not) is still the same job.
    const same = await requestReport(alice, { ...body, format: "csv", notifyByEmail: false }, key);
    expect([same.status, same.body.jobId]).toEqual([202, first.body.jobId]);
  });

  it("answers ETag and 304 when the job hasn't changed", async () => {
    const started = await requestReport(alice, { kind: "summary", from: "2026-10-01", to: "2026-10-01" });
    const { job } = await waitForJob(alice, started.body.jobId, finished);
    const first = await alice.fetch(`/api/jobs/${job.id}`);
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(first.headers.get("cache-control")).toBe("no-store");
    const again = await alice.fetch(`/api/jobs/${job.id}`, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
  });

  it("cancels a running report: it stays cancelled and no further steps run", async () => {
    await seed(aliceOrg, 150_000, "2026-07-01T00:00:00Z", "2026-09-30T00:00:00Z");
    // Still running when the cancel lands, however fast the machine.
    await slowWindows(aliceOrg, 0.25);
    const started = await requestReport(alice, { kind: "activity", from: "2026-07-01", to: "2026-09-29" });
    const jobId = started.body.jobId;
    await waitForJob(alice, jobId, (job) => job.status === "processing" && job.progress > 0);

    const cancelled = await alice.json<{ job: JobStatusView }>(`/api/jobs/${jobId}/cancel`, { method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.job.status).toBe("cancelled");

    const run = () => [...stack.executor.store.runs.values()].find((r) => r.event.id === jobId);
    await expect.poll(() => run()?.status, { timeout: 15_000 }).toBe("Cancelled");
    const cancelledAt = Date.now();
    // A step already executing may finish (nothing interrupts a running step); none starts
    // after. Once the run's last call is over, the executor calls the app no more for it.
    await expect.poll(() => stack.executor.executor.callsInFlight(run()!.id), { timeout: 15_000 }).toBe(0);
    expect(run()!.steps.filter((step) => step.startedAt > cancelledAt)).toEqual([]);
    const chunks = async () => (await db.from("report_chunks").select("seq").eq("job_id", jobId)).data!.length;
    const atCancel = await chunks();
    expect(atCancel).toBeLessThan(40);
    const { body } = await alice.json<JobStatusView>(`/api/jobs/${jobId}`);
    expect(body.status).toBe("cancelled");
    const download = await alice.json<{ error: { code: string; message: string } }>(`/api/reports/${jobId}/download`);
    expect(download.status).toBe(409);
    expect(download.body.error).toMatchObject({ code: "report_cancelled", message: expect.stringMatching(/cancelled/) });
    expect((await alice.json(`/api/jobs/${jobId}/cancel`, { method: "POST" })).status).toBe(409);
    expect(await chunks()).toBe(atCancel);
  });

  /** A new team made through the API by `owner` (it becomes their current organisation). */
  async function newTeam(owner: ApiClient, name: string): Promise<string> {
    const { status, body } = await owner.json<{ organisation: { id: string } }>("/api/organisations", {
      method: "POST",
      body: JSON.stringify({ name, slug: `reports-${randomUUID().slice(0, 8)}` }),
    });
    expect(status).toBe(201);
    return body.organisation.id;
  }
  const runOf = (jobId: string) => [...stack.executor.store.runs.values()].find((r) => r.event.id === jobId);

  it("cancels a running report when its team is deleted: the run ends cancelled, and no step is retried", async () => {
    const { client } = await newUser("Teodor");
    const teamId = await newTeam(client, "Short-lived");
    await seed(teamId, 20_000, "2026-07-01T00:00:00Z", "2026-09-30T00:00:00Z");
    await slowWindows(teamId, 0.25);
    const started = await requestReport(client, { kind: "activity", from: "2026-07-01", to: "2026-09-29" });
    const jobId = started.body.jobId;
    await waitForJob(client, jobId, (job) => job.status === "processing" && job.progress > 0);

    expect((await client.fetch(`/api/organisations/${teamId}`, { method: "DELETE" })).status).toBe(204);
    await expect.poll(() => runOf(jobId)?.status, { timeout: 15_000 }).toBe("Cancelled");
    const cancelledAt = Date.now();
    await expect.poll(() => stack.executor.executor.callsInFlight(runOf(jobId)!.id), { timeout: 15_000 }).toBe(0);
    const steps = runOf(jobId)!.steps;
    expect(steps.filter((step) => step.startedAt > cancelledAt)).toEqual([]);
    expect(steps.filter((step) => step.attempts > 1).map((step) => step.name)).toEqual([]);
    expect((await db.from("jobs").select("id").eq("id", jobId)).data).toEqual([]);
  });

  it("doesn't email a report to someone removed from its team before it was ready", async () => {
    const [{ client: owner }, { client: requester }] = await Promise.all([newUser("Oskar"), newUser("Rhea")]);
    const teamId = await newTeam(owner, "Removers");
    await db.from("memberships").insert({ org_id: teamId, user_id: requester.userId, role: "member" });
    const current = await requester.json("/api/organisations/current", { method: "PUT", body: JSON.stringify({ orgId: teamId }) });
    expect(current.status).toBe(200);
    await seed(teamId, 2_000, "2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z");
    // The removal's route, compiled now: compiling it on first use can outlast the report.
    expect((await owner.fetch(`/api/organisations/${teamId}/members/${randomUUID()}`, { method: "DELETE" })).status).toBe(404);
    await slowWindows(teamId, 0.5); // still running when the removal lands
    const started = await requestReport(requester, { kind: "activity", from: "2026-10-01", to: "2026-10-04", notifyByEmail: true });
    const jobId = started.body.jobId;
    await waitForJob(requester, jobId, (job) => job.status === "processing");

    expect((await owner.fetch(`/api/organisations/${teamId}/members/${requester.userId}`, { method: "DELETE" })).status).toBe(204);
    await expect.poll(() => runOf(jobId)?.status, { timeout: 30_000 }).toBe("Completed");
    expect((await db.from("jobs").select("status").eq("id", jobId).single()).data?.status).toBe("completed");
    expect(runOf(jobId)!.steps.find((step) => step.name === "notify")).toBeDefined();
    expect(stack.mail.outbox.list({ to: requester.email }).filter((e) => e.subject === "Your report is ready")).toEqual([]);
  });

  it("emails a link when asked midway, and the link leads to the job", async () => {
    await slowWindows(aliceOrg, 0.1); // still running when the PATCH lands
    const started = await requestReport(alice, { kind: "activity", from: "2026-07-01", to: "2026-09-29" });
    const jobId = started.body.jobId;
    const patched = await alice.json<{ job: JobStatusView }>(`/api/jobs/${jobId}`, {
      method: "PATCH",
      body: JSON.stringify({ notifyByEmail: true }),
    });
    expect(patched.body.job.notifyByEmail).toBe(true);
    await waitForJob(alice, jobId, finished);
    await expect.poll(() => stack.mail.outbox.list({ to: alice.email }).filter((e) => e.subject === "Your report is ready").length, { timeout: 15_000 }).toBe(1);
    const [email] = stack.mail.outbox.list({ to: alice.email }).filter((e) => e.subject === "Your report is ready");
    expect(email?.html).toContain(`${stack.app.url}/dashboard/jobs/${jobId}`);
  });

  it("emails the safe failure message, never the internal error", async () => {
    const { client, orgId } = await newUser("Fiona");
    const { data: job, error } = await db
      .from("jobs")
      .insert({ org_id: orgId, user_id: client.userId, type: "report", notify_by_email: true, max_attempts: 4, payload: {} })
      .select()
      .single();
    if (error) throw new Error(error.message);
    // An organisation that doesn't exist: every attempt to prepare the report fails inside
    // the database, with a message that names a constraint.
    const inngest = new Inngest({ id: "offload-tests", isDev: true, baseUrl: stack.executor.url });
    await inngest.send(
      reportRequested.create(
        { jobId: job.id, orgId: randomUUID(), userId: client.userId, kind: "summary", from: "2026-10-01", to: "2026-10-01", format: "csv" },
        { id: job.id },
      ),
    );
    const { job: failed } = await waitForJob(client, job.id, finished);
    expect(failed.status).toBe("failed");
    const failureEmails = () => stack.mail.outbox.list({ to: client.email }).filter((e) => e.subject === "Your report could not be generated");
    await expect.poll(() => failureEmails().length, { timeout: 15_000 }).toBe(1);
    const [email] = failureEmails();
    const { data: row } = await db.from("jobs").select("error").eq("id", job.id).single();
    expect(row!.error).toMatch(/foreign key/);
    expect(email!.text ?? "").toContain(failed.error!);
    expect(`${email!.html}${email!.text}`).not.toMatch(/foreign key|constraint|violates/);
  });

  it("doesn't retry a report email Resend rejects, and the report stays completed", async () => {
    const { client, orgId } = await newUser("Greta");
    await seed(orgId, 100, "2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z");
    // More failures armed than one attempt uses: a retry would consume them and then send.
    await fetch(`${stack.mail.url}/_devstack/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 3, status: 422, message: "Invalid `to` field.", to: client.email }),
    });
    const started = await requestReport(client, { kind: "summary", from: "2026-10-01", to: "2026-10-01", notifyByEmail: true });
    const run = () => [...stack.executor.store.runs.values()].find((r) => r.event.id === started.body.jobId);
    await expect.poll(() => run()?.endedAt !== undefined, { timeout: 20_000 }).toBe(true);
    expect(run()!.steps.find((step) => step.name === "notify")?.attempts).toBe(1);
    expect((await client.json<JobStatusView>(`/api/jobs/${started.body.jobId}`)).body.status).toBe("completed");
    expect(stack.mail.outbox.list({ to: client.email })).toHaveLength(0);
  });

  it("lists the organisation's jobs, newest first, a page at a time", async () => {
    const first = await alice.json<{ jobs: JobStatusView[]; nextCursor: string | null }>("/api/jobs?type=report&limit=2");
    expect(first.body.jobs).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await alice.json<{ jobs: JobStatusView[] }>(`/api/jobs?type=report&limit=2&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.jobs, ...second.body.jobs].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Date.parse(first.body.jobs[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(second.body.jobs[0]!.createdAt));
    expect((await mallory.json<{ jobs: unknown[] }>("/api/jobs?type=report")).body.jobs).toEqual([]);
  });

  it("answers 404 to another organisation on status, cancel, patch and download, like an unknown id", async () => {
    const started = await requestReport(alice, { kind: "summary", from: "2026-10-01", to: "2026-10-01" });
    const jobId = started.body.jobId;
    await waitForJob(alice, jobId, finished);
    for (const id of [jobId, randomUUID(), "not-a-uuid"]) {
      expect((await mallory.fetch(`/api/jobs/${id}`)).status).toBe(404);
      expect((await mallory.fetch(`/api/jobs/${id}/cancel`, { method: "POST" })).status).toBe(404);
      expect(
        (await mallory.fetch(`/api/jobs/${id}`, { method: "PATCH", body: JSON.stringify({ notifyByEmail: true }) })).status,
      ).toBe(404);
      expect((await mallory.fetch(`/api/reports/${id}/download`)).status).toBe(404);
    }
    expect((await alice.json<JobStatusView>(`/api/jobs/${jobId}`)).body.notifyByEmail).toBe(false);
  });

  it("fails the job and answers 503 when the event can't be sent, and queues again once Inngest is back", async () => {
    const { client, orgId } = await newUser("Hana");
    const down = await stack.withExecutorDown(() =>
      client.json<{ error: { code: string; message: string } }>("/api/reports", {
        method: "POST",
        headers: { "Idempotency-Key": randomUUID() },
        body: JSON.stringify({ kind: "summary", from: "2026-10-01", to: "2026-10-01" }),
      }),
    );

    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe("queue_unavailable");
    const { data: jobs } = await db.from("jobs").select("status, error").eq("org_id", orgId).eq("type", "report");
    expect(jobs).toEqual([{ status: "failed", error: "The report could not be queued. Please try again." }]);

    const back = await requestReport(client, { kind: "summary", from: "2026-10-01", to: "2026-10-01" });
    expect(back.status).toBe(202);
    const { job } = await waitForJob(client, back.body.jobId, finished);
    expect(job.status).toBe("completed");
    // One event per enqueue, named by the job.
    expect(stack.executor.store.events.filter((event) => event.id === job.id)).toHaveLength(1);
  });

  it("refuses bad bodies with a 400 naming the field, and writes nothing", async () => {
    const jobCount = async () =>
      (await db.from("jobs").select("id", { count: "exact", head: true }).eq("org_id", await orgOf(mallory.userId))).count;
    const before = await jobCount();
    const cases: [body: string, status: number, field: string | null][] = [
      [JSON.stringify({ kind: "bogus", from: "2026-10-01", to: "2026-10-02" }), 400, "kind"],
      [JSON.stringify({ kind: "activity", from: "2026-10-05", to: "2026-10-01" }), 400, "to"],
      [JSON.stringify({ kind: "activity", from: 5, to: "2026-10-01" }), 400, "from"],
      [JSON.stringify({ kind: "activity", from: "2025-01-01", to: "2026-10-01" }), 400, "to"],
      [JSON.stringify({ kind: "activity", from: "2026-10-01", to: "2026-10-02", format: "xlsx" }), 400, "format"],
      ["{not json", 400, null],
      [JSON.stringify({ kind: "activity", from: "2026-10-01", to: "2026-10-02", padding: "x".repeat(100_000) }), 413, null],
    ];
    for (const [body, status, field] of cases) {
      const answer = await mallory.json<{ error: { code: string; message: string; fields?: Record<string, string> } }>(
        "/api/reports",
        { method: "POST", body },
      );
      expect(answer.status, body.slice(0, 60)).toBe(status);
      expect(answer.body.error.message).toBeTruthy();
      if (field) expect(Object.keys(answer.body.error.fields ?? {})).toContain(field);
    }
    const badKey = await mallory.json("/api/reports", {
      method: "POST",
      headers: { "Idempotency-Key": "x".repeat(300) },
      body: JSON.stringify({ kind: "activity", from: "2026-10-01", to: "2026-10-02" }),
    });
    expect(badKey.status).toBe(400);
    expect(await jobCount()).toBe(before);
  });
});
