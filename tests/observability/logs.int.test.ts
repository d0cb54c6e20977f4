import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { z } from "zod";
import { userSignedUp, userSignedUpEventId } from "@/inngest/events";
import type { JobStatusView } from "@/lib/jobs/view";
import { jobLogLineSchema, requestLogLineSchema, type JobLogLine } from "@/lib/observability/log-lines";
import { TERMINAL } from "@/devstack/inngest/store";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { sql } from "../support/sql";
import { makePlatformAdmin, serviceClient, signUpUser } from "../support/supabase";
import { startReceiver, type Receiver } from "../support/webhook-receiver";

/**
 * The app's structured logs, read from its stdout as an operator's log drain would: each
 * job's life is exactly its transition lines, in order, with the fields the schema names;
 * each request through route() is one line; and no secret or payload value is anywhere.
 */
describe(`structured logs (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let receiver: Receiver;
  let inngest: Inngest;
  let alice: ApiClient;
  let operator: ApiClient;
  let aliceOrg: string;

  beforeAll(async () => {
    stack = await startAppStack({ env: { LOG_FORMAT: "json", LOG_LEVEL: "info" } });
    receiver = await startReceiver();
    inngest = new Inngest({ id: "offload-tests", isDev: true, baseUrl: stack.executor.url });
    [alice, operator] = await Promise.all([signUpThroughApp(stack.app.url, "Alice"), signUpThroughApp(stack.app.url, "Olive")]);
    await makePlatformAdmin(operator.userId);
    aliceOrg = (await db.from("memberships").select("org_id").eq("user_id", alice.userId).single()).data!.org_id;
    await sql("select public.generate_activity($1, $2, $3, $4)", [aliceOrg, 500, "2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z"]);
    // next dev compiles a route on its first request: do that here, not while a job runs.
    const nothing = "00000000-0000-4000-8000-000000000000";
    await alice.fetch(`/api/jobs/${nothing}/cancel`, { method: "POST" });
    await operator.fetch(`/api/admin/jobs/${nothing}/replay`, { method: "POST" });
  }, 180_000);

  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  /** Every line of the app's stdout that is a JSON object (next dev prints its own lines too). */
  function jsonLines(): Record<string, unknown>[] {
    return stack.app.logs().flatMap((line) => {
      if (!line.startsWith("{")) return [];
      const parsed = z.record(z.string(), z.unknown()).safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** The job's transition lines, each parsed by the schema (a field it doesn't name fails). */
  const linesOfJob = (jobId: string): JobLogLine[] =>
    jsonLines()
      .filter((line) => typeof line.event === "string" && line.event.startsWith("job.") && line.jobId === jobId)
      .map((line) => jobLogLineSchema.parse(line));

  const requestLines = () => jsonLines().filter((line) => line.event === "http.request").map((line) => requestLogLineSchema.parse(line));

  /** Waits until the job's lines are these events, in this order, and returns them. */
  async function waitForLines(jobId: string, events: JobLogLine["event"][]): Promise<JobLogLine[]> {
    await vi.waitFor(() => expect(linesOfJob(jobId).map((line) => line.event)).toEqual(events), { timeout: 30_000, interval: 50 });
    return linesOfJob(jobId);
  }

  /** The run an event started, once it has ended: after that nothing writes its job. */
  async function endedRun(eventId: string) {
    return vi.waitFor(
      () => {
        const run = [...stack.executor.store.runs.values()].find((r) => r.event.id === eventId);
        if (!run || !TERMINAL.has(run.status)) throw new Error(`the run of ${eventId} hasn't ended: ${run?.status}`);
        return run;
      },
      { timeout: 60_000, interval: 50 },
    );
  }

  async function waitForJob(client: ApiClient, jobId: string, until: (job: JobStatusView) => boolean) {
    return vi.waitFor(
      async () => {
        const { body } = await client.json<JobStatusView>(`/api/jobs/${jobId}`);
        if (!until(body)) throw new Error(`job ${jobId} is ${body.status}`);
        return body;
      },
      { timeout: 60_000, interval: 50 },
    );
  }

  const requestReport = (body: unknown) =>
    alice.json<{ jobId: string; callback?: { secret: string } }>("/api/reports", { method: "POST", body: JSON.stringify(body) });

  /** Values that must never be logged: the app's keys and secrets. */
  const appSecrets = () =>
    ["SUPABASE_SECRET_KEY", "RESEND_API_KEY", "UNSUBSCRIBE_SECRET", "INVITATION_SECRET"].map((name) => {
      const value = stack.env[name];
      if (!value) throw new Error(`the stack has no ${name}`);
      return value;
    });

  function expectNowhereInOutput(values: string[]) {
    const output = stack.app.logs().join("\n");
    for (const value of values) expect(output, `the output contains ${value}`).not.toContain(value);
  }

  it("logs a report's life as queued, started, completed, and its requests, without the callback's secret or a query value", async () => {
    const marker = `probe-${crypto.randomUUID()}`;
    const started = await requestReport({ kind: "activity", from: "2026-10-01", to: "2026-10-07", callbackUrl: receiver.path().url });
    expect(started.status).toBe(202);
    const { jobId, callback } = started.body;
    expect(callback?.secret).toMatch(/^whsec_/);
    await waitForJob(alice, jobId, (job) => job.status === "completed");
    const run = await endedRun(jobId);
    expect((await alice.fetch(`/api/jobs/${jobId}?note=${marker}`)).status).toBe(200);
    expect((await alice.fetch("/api/jobs/not-a-job")).status).toBe(404);

    const [queued, begun, completed] = await waitForLines(jobId, ["job.queued", "job.started", "job.completed"]);
    for (const line of [queued, begun, completed]) expect(line).toMatchObject({ jobType: "report", orgId: aliceOrg });
    expect(queued).toMatchObject({ level: "info", attempt: 0 });
    expect(queued).not.toHaveProperty("runId");
    expect(begun).toMatchObject({ attempt: 1, runId: run.id });
    expect(completed).toMatchObject({ attempt: 1, runId: run.id });
    expect(completed!.durationMs).toBeGreaterThanOrEqual(completed!.runMs!);
    expect(completed).not.toHaveProperty("errorCode");

    await vi.waitFor(() => {
      const requests = requestLines();
      expect(requests).toContainEqual(expect.objectContaining({ method: "POST", route: "/api/reports", status: 202 }));
      expect(requests).toContainEqual(expect.objectContaining({ method: "GET", route: "/api/jobs/[id]", status: 200 }));
      expect(requests).toContainEqual(expect.objectContaining({ method: "GET", route: "/api/jobs/[id]", status: 404 }));
      // Not a route() handler, and the busiest endpoint: Inngest's step calls (206, the SDK's
      // answer to a call it ran steps for) and its sync.
      expect(requests).toContainEqual(expect.objectContaining({ method: "POST", route: "/api/inngest", status: 206 }));
      expect(requests).toContainEqual(expect.objectContaining({ method: "PUT", route: "/api/inngest", status: 200 }));
      // The sign-ups' confirmation links, which answer with redirect()'s 307.
      expect(requests).toContainEqual(expect.objectContaining({ method: "GET", route: "/auth/confirm", status: 307 }));
    });
    expectNowhereInOutput([callback!.secret, ...appSecrets()]);
    // next dev prints each request's URL itself (`next start` doesn't); the app's lines never do.
    expect(JSON.stringify(jsonLines())).not.toContain(marker);
  });

  it("logs a job that fails after its retries as retrying … failed with its error code, and its replay as replayed", async () => {
    const victim = await signUpUser("Vic");
    // Resend down for every attempt of the welcome email (5xx: retried, then failed for good).
    await fetch(`${stack.mail.url}/_devstack/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 5, status: 500, message: "Resend is down.", to: victim.email }),
    });
    onTestFinished(() => fetch(`${stack.mail.url}/_devstack/fail`, { method: "DELETE" }).then(() => undefined));
    const eventId = userSignedUpEventId(victim.id);
    await inngest.send(userSignedUp.create({ userId: victim.id, orgId: victim.orgId, email: victim.email }, { id: eventId }));
    const run = await endedRun(eventId);
    const failedJob = (await db.from("jobs").select().eq("user_id", victim.id).eq("type", "welcome-email").single()).data!;
    expect(failedJob.status).toBe("failed");

    const attempts = Array.from({ length: 4 }, () => ["job.started", "job.retrying"] as const).flat();
    const lines = await waitForLines(failedJob.id, ["job.queued", ...attempts, "job.started", "job.failed"]);
    const retrying = lines.filter((line) => line.event === "job.retrying");
    expect(retrying.map((line) => [line.level, line.attempt, line.errorCode])).toEqual(
      [1, 2, 3, 4].map((attempt) => ["warn", attempt, "EmailSendError"]),
    );
    const failed = lines.at(-1)!;
    expect(failed).toMatchObject({ level: "error", jobType: "welcome-email", orgId: victim.orgId, attempt: 5, runId: run.id, errorCode: "EmailSendError" });
    expect(failed.durationMs).toEqual(expect.any(Number));

    const replayed = await operator.json<{ replayId: string }>(`/api/admin/jobs/${failedJob.id}/replay`, { method: "POST" });
    expect(replayed.status).toBe(202);
    const { replayId } = replayed.body;
    await endedRun(`replay-${replayId}`);

    const original = await waitForLines(failedJob.id, ["job.queued", ...attempts, "job.started", "job.failed", "job.replayed"]);
    expect(original.at(-1)).toMatchObject({ jobType: "welcome-email", orgId: victim.orgId, replayId });
    const replay = await waitForLines(replayId, ["job.queued", "job.started", "job.completed"]);
    expect(replay[0]).toMatchObject({ replayOf: failedJob.id, attempt: 0 });
    expect(replay[2]).toMatchObject({ attempt: 1, runId: expect.any(String) });
    await vi.waitFor(() =>
      expect(requestLines()).toContainEqual(expect.objectContaining({ method: "POST", route: "/api/admin/jobs/[id]/replay", status: 202 })),
    );
    // The payload's email address is a value no line carries.
    expectNowhereInOutput([victim.email, ...appSecrets()]);
  });

  it("logs a cancelled report once as cancelled, however many writes are refused after", async () => {
    // Each window's write takes a while, so the report is still running when the cancel lands.
    await sql(
      `create function public.test_slow_chunk() returns trigger language plpgsql as $$ begin perform pg_sleep(0.25); return new; end $$`,
    );
    await sql(
      `create trigger test_slow_chunk before insert on public.report_chunks for each row when (new.org_id = '${z.uuid().parse(aliceOrg)}') execute function public.test_slow_chunk()`,
    );
    onTestFinished(async () => {
      await sql("drop trigger test_slow_chunk on public.report_chunks");
      await sql("drop function public.test_slow_chunk()");
    });
    // 30 windows of a quarter of a second each: still running when the cancel lands.
    const { body } = await requestReport({ kind: "activity", from: "2026-10-01", to: "2026-10-30" });
    await waitForJob(alice, body.jobId, (job) => job.status === "processing" && job.progress > 0);

    const earlier = requestLines().length;
    expect((await alice.fetch(`/api/jobs/${body.jobId}/cancel`, { method: "POST" })).status).toBe(200);
    expect((await alice.fetch(`/api/jobs/${body.jobId}/cancel`, { method: "POST" })).status).toBe(409);
    await endedRun(body.jobId);

    const [, , cancelled] = await waitForLines(body.jobId, ["job.queued", "job.started", "job.cancelled"]);
    expect(cancelled).toMatchObject({ level: "info", jobType: "report", orgId: aliceOrg, attempt: 1 });
    expect(cancelled!.durationMs).toBeGreaterThanOrEqual(cancelled!.runMs!);
    await vi.waitFor(() => {
      const cancels = requestLines()
        .slice(earlier)
        .filter((line) => line.route === "/api/jobs/[id]/cancel");
      expect(cancels.map((line) => [line.method, line.status])).toEqual([
        ["POST", 200],
        ["POST", 409],
      ]);
    });
    expectNowhereInOutput(appSecrets());
  });
});
