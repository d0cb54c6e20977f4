import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import type { InngestDevServer } from "@/devstack/inngest/server";
import type { MailServer } from "@/devstack/mail/server";
import { userSignedUp, userSignedUpEventId } from "@/inngest/events";
import { toStatusView } from "@/lib/jobs/view";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp } from "../support/http";
import { serviceClient } from "../support/supabase";

/**
 * The welcome email end to end: the real app (next dev) signs a user up, the confirmation
 * link emits the event, the devstack's executor runs `welcome-email` through /api/inngest, the devstack
 * outbox receives the email, and the job is mirrored into Supabase.
 */
describe(`welcome email (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let mail: MailServer;
  let executor: InngestDevServer;
  let inngest: Inngest;

  beforeAll(async () => {
    // A 300 ms backoff: fast enough for a test, slow enough that "retrying" is observable.
    stack = await startAppStack({ backoffBaseMs: 300 });
    ({ mail, executor } = stack);
    inngest = new Inngest({ id: "offload-tests", isDev: true, baseUrl: executor.url });
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  beforeEach(async () => {
    await fetch(`${mail.url}/_devstack/fail`, { method: "DELETE" });
  });

  /** Signs up and opens the confirmation link: the welcome email goes once the address is confirmed. */
  async function signUp(email = `welcome-${randomUUID()}@example.com`) {
    const client = await signUpThroughApp(stack.app.url, "Wendy", { email });
    return { userId: client.userId, email };
  }

  const welcomeJobs = async (userId: string) => {
    const { data, error } = await db.from("jobs").select().eq("type", "welcome-email").eq("user_id", userId);
    if (error) throw new Error(error.message);
    return data;
  };

  /** Polls the job until it is terminal, recording every status it was seen in. */
  async function watchJob(userId: string, timeoutMs = 30_000) {
    const seen: string[] = [];
    const job = await vi.waitFor(
      async () => {
        const [job] = await welcomeJobs(userId);
        if (job && seen.at(-1) !== job.status) seen.push(job.status);
        if (job && ["completed", "failed", "cancelled"].includes(job.status)) return job;
        throw new Error(`the welcome job of ${userId} did not finish; seen: ${seen.join(" → ")}`);
      },
      { timeout: timeoutMs, interval: 25 },
    );
    return { job, seen };
  }

  const runsOf = (userId: string) =>
    [...executor.store.runs.values()].filter((run) => run.event.id === userSignedUpEventId(userId));

  it("sends one email and mirrors one completed job, however often the event is delivered", async () => {
    const { userId, email } = await signUp();
    const { job } = await watchJob(userId);
    expect(job).toMatchObject({ status: "completed", progress: 100, attempt: 1, max_attempts: 5 });

    // The confirmation sent it once; deliver it four more times, then rerun the function.
    const { data: membership } = await db.from("memberships").select("org_id").eq("user_id", userId).single();
    const event = userSignedUp.create({ userId, orgId: membership!.org_id, email }, { id: userSignedUpEventId(userId) });
    for (let i = 0; i < 4; i++) await inngest.send(event);
    const [firstRun] = runsOf(userId);
    const rerun = await fetch(`${executor.url}/v1/runs/${firstRun!.id}/rerun`, { method: "POST" });
    expect(rerun.ok).toBe(true);
    await expect.poll(() => runsOf(userId).every((run) => run.endedAt !== undefined), { timeout: 20_000 }).toBe(true);

    expect(mail.outbox.list({ to: email })).toHaveLength(1);
    expect(await welcomeJobs(userId)).toMatchObject([{ status: "completed" }]);
    const { data: profile } = await db.from("profiles").select("welcome_sent_at").eq("id", userId).single();
    expect(profile?.welcome_sent_at).not.toBeNull();
  });

  it("retries through three Resend 500s and completes on attempt 4 with one email", async () => {
    const address = `welcome-${randomUUID()}@example.com`;
    await fetch(`${mail.url}/_devstack/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 3, status: 500, to: address }),
    });
    const { userId, email } = await signUp(address);
    const { job, seen } = await watchJob(userId);
    expect(seen).toContain("retrying");
    expect(job).toMatchObject({ status: "completed", attempt: 4, error: null });
    expect(mail.outbox.list({ to: email })).toHaveLength(1);
  });

  it("counts every attempt: five Resend 500s fail the job after 5 of 5, as the user and the dead letters see it", async () => {
    const address = `welcome-${randomUUID()}@example.com`;
    await fetch(`${mail.url}/_devstack/fail`, { method: "POST", body: JSON.stringify({ count: 5, status: 500, to: address }) });
    const { userId } = await signUp(address);
    const { job } = await watchJob(userId, 60_000);
    expect(job).toMatchObject({ status: "failed", attempt: 5, max_attempts: 5 });
    const [run] = runsOf(userId);
    expect(run?.steps.find((step) => step.name === "send-email")?.attempts).toBe(5);
    // What the user's job page reads (GET /api/jobs/:id is this view).
    expect(toStatusView(job).error).toBe("This job failed after 5 attempts. We have the details; you can try again.");
  }, 90_000);

  /** Reruns the user's first welcome run from the runs page's API and waits for it to end. */
  async function rerunFirstRun(userId: string) {
    const [firstRun] = runsOf(userId);
    const response = await fetch(`${executor.url}/v1/runs/${firstRun!.id}/rerun`, { method: "POST" });
    const { data } = (await response.json()) as { data: { run_id: string } };
    await expect.poll(() => executor.store.runs.get(data.run_id)?.endedAt, { timeout: 20_000 }).toBeDefined();
    return executor.store.runs.get(data.run_id)!;
  }

  it("reruns a sent welcome email as a no-op that says so, after the user changed their name", async () => {
    const { userId, email } = await signUp();
    await watchJob(userId);
    const { error } = await db.from("profiles").update({ display_name: "Wendy Renamed" }).eq("id", userId);
    expect(error).toBeNull();

    const rerun = await rerunFirstRun(userId);
    expect(rerun.status).toBe("Completed");
    expect(rerun.output).toEqual({ emailId: null, alreadySent: true });
    expect(mail.outbox.list({ to: email })).toHaveLength(1);
    expect(await welcomeJobs(userId)).toMatchObject([{ status: "completed", error: null }]);
  });

  it("treats Resend's 409 for a key it already sent with as sent, not as a failure", async () => {
    // The email went out, but the run never heard (welcome_sent_at is still null) and the
    // user renamed themselves meanwhile: the same key now comes with another body.
    const { userId, email } = await signUp();
    await watchJob(userId);
    await db.from("profiles").update({ display_name: "Someone Else", welcome_sent_at: null }).eq("id", userId);
    const rerun = await rerunFirstRun(userId);
    expect(rerun.status).toBe("Completed");
    expect(rerun.output).toEqual({ emailId: null, alreadySent: true });
    expect(mail.outbox.list({ to: email })).toHaveLength(1);
    const { data: profile } = await db.from("profiles").select("welcome_sent_at").eq("id", userId).single();
    expect(profile?.welcome_sent_at).not.toBeNull();
  });

  it("does not retry a 422 from Resend: the job fails with the provider's message and nothing is sent", async () => {
    // Two armed failures: a retry would consume the second and still fail.
    const address = `welcome-${randomUUID()}@example.com`;
    await fetch(`${mail.url}/_devstack/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 2, status: 422, message: "Invalid `to` field.", to: address }),
    });
    const { userId, email } = await signUp(address);
    const { job } = await watchJob(userId);
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/Resend rejected the welcome email \(422\): Invalid `to` field\./);
    expect(mail.outbox.list({ to: email })).toHaveLength(0);
    const [run] = runsOf(userId);
    expect(run?.steps.find((step) => step.name === "send-email")?.attempts).toBe(1);
  });

  it("finishes with one email when the app is killed after Resend accepted the email and restarted", async () => {
    // Resend stores the email but answers only when released: kill the app in that window.
    await fetch(`${mail.url}/_devstack/hold`, { method: "POST", body: JSON.stringify({ count: 1 }) });
    const { userId, email } = await signUp();
    await expect
      .poll(async () => ((await (await fetch(`${mail.url}/_devstack/hold`)).json()) as { waiting: number }).waiting, {
        timeout: 20_000,
      })
      .toBe(1);

    await stack.restartApp(async () => {
      await fetch(`${mail.url}/_devstack/hold`, { method: "DELETE" });
      expect(mail.outbox.list({ to: email })).toHaveLength(1);
    });

    const { job } = await watchJob(userId, 60_000);
    expect(job.status).toBe("completed");
    expect(mail.outbox.list({ to: email })).toHaveLength(1);
    const [run] = runsOf(userId);
    expect(run?.steps.map((step) => [step.name, step.status])).toEqual([
      ["send-email", "Completed"],
      ["mark-profile", "Completed"],
    ]);
  }, 120_000);
});
