import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import type { InngestDevServer } from "@/devstack/inngest/server";
import type { MailServer } from "@/devstack/mail/server";
import { invitationEventId, invitationSent } from "@/inngest/events";
import type { DeadLetterPage } from "@/lib/admin/dead-letters";
import type { Job } from "@/lib/jobs/state";
import type { Enums } from "@/lib/supabase/database.types";
import { invitationToken, invitationUrl, tokenHash } from "@/lib/teams/invitation-token";
import { readJob, waitForTerminal } from "../admin/support";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, serviceClient, signUpUser } from "../support/supabase";

/**
 * The invitation email end to end: an invitation row as the API writes it, its event sent
 * to the devstack's executor, `send-invitation` run through the real app's /api/inngest,
 * the email in the devstack outbox, and the job mirrored, failed into the dead letters and
 * replayed through the admin API by the team's owner. The link's token is computed with
 * the app's own INVITATION_SECRET, by the module the app uses.
 */
describe(`invitation email (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let mail: MailServer;
  let executor: InngestDevServer;
  let inngest: Inngest;
  let owner: ApiClient;
  let teamId: string;
  const teamName = "Acme Rockets";

  beforeAll(async () => {
    // A 300 ms backoff: fast enough for a test, slow enough that "retrying" is observable.
    stack = await startAppStack({ backoffBaseMs: 300 });
    ({ mail, executor } = stack);
    // lib/teams/invitation-token.ts reads the secret and APP_URL through lib/env: the app's.
    for (const [name, value] of Object.entries(stack.env)) vi.stubEnv(name, value);
    inngest = new Inngest({ id: "offload-tests", isDev: true, baseUrl: executor.url });
    owner = await signUpThroughApp(stack.app.url, "Alice Owner");
    teamId = await createTeamOrg([{ userId: owner.userId, role: "owner" }], { name: teamName });
    // next dev compiles a route on its first request: do that here, not in a test's time.
    const nothing = "00000000-0000-4000-8000-000000000000";
    await owner.fetch(`/api/admin/jobs/${nothing}/replay`, { method: "POST", body: "{}" });
    await owner.fetch(`/api/admin/dead-letters?type=team-invitation`);
  }, 180_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack?.close();
  });

  beforeEach(async () => {
    await fetch(`${mail.url}/_devstack/fail`, { method: "DELETE" });
  });

  type Invitation = { id: string; nonce: string; email: string };

  /** An invitation as inviteMember writes it: the app's id and nonce, the hash of their token. */
  async function invite(role: Enums<"membership_role"> = "member"): Promise<Invitation> {
    const invitation = { id: randomUUID(), nonce: randomUUID(), email: `invitee-${randomUUID()}@example.com` };
    const { error } = await db.from("invitations").insert({
      id: invitation.id,
      org_id: teamId,
      email: invitation.email,
      role,
      invited_by: owner.userId,
      token_nonce: invitation.nonce,
      token_hash: tokenHash(invitationToken(invitation)),
    });
    if (error) throw new Error(`could not insert the invitation: ${error.message}`);
    return invitation;
  }

  /** Invites again as the API does: a new nonce and hash on the same row. */
  async function reinvite(invitation: Invitation): Promise<Invitation> {
    const again = { ...invitation, nonce: randomUUID() };
    const { error } = await db
      .from("invitations")
      .update({ token_nonce: again.nonce, token_hash: tokenHash(invitationToken(again)) })
      .eq("id", invitation.id);
    if (error) throw new Error(`could not re-invite: ${error.message}`);
    return again;
  }

  const eventFor = (invitation: Invitation) =>
    invitationSent.create(
      { orgId: teamId, userId: owner.userId, invitationId: invitation.id, nonce: invitation.nonce },
      { id: invitationEventId(invitation.id, invitation.nonce) },
    );

  const failNext = (invitation: Invitation, failure: { count: number; status: number; message?: string }) =>
    fetch(`${mail.url}/_devstack/fail`, { method: "POST", body: JSON.stringify({ ...failure, to: invitation.email }) });

  /** The job the mirror made for this invitation and nonce (keyed by the event's id). */
  async function jobOf(invitation: Invitation): Promise<Job | null> {
    const { data, error } = await db
      .from("jobs")
      .select()
      .eq("type", "team-invitation")
      .eq("inngest_event_id", invitationEventId(invitation.id, invitation.nonce));
    if (error) throw new Error(error.message);
    expect(data.length).toBeLessThanOrEqual(1);
    return data[0] ?? null;
  }

  /** Polls the job until it is terminal, recording every status it was seen in. */
  async function watchJob(invitation: Invitation, timeout = 30_000) {
    const seen: string[] = [];
    const job = await vi.waitFor(
      async () => {
        const job = await jobOf(invitation);
        if (job && seen.at(-1) !== job.status) seen.push(job.status);
        if (job && ["completed", "failed", "cancelled"].includes(job.status)) return job;
        throw new Error(`the invitation job did not finish; seen: ${seen.join(" → ")}`);
      },
      { timeout, interval: 25 },
    );
    return { job, seen };
  }

  const runsOf = (invitation: Invitation) =>
    [...executor.store.runs.values()].filter((run) => run.event.id === invitationEventId(invitation.id, invitation.nonce));

  const emailsTo = (invitation: Invitation) => mail.outbox.list({ to: invitation.email });

  /** The acceptance link in an email's HTML, and the token it carries. */
  function linkIn(html: string | null) {
    const href = /href="([^"]*\/invitations\/[^"]+)"/.exec(html ?? "")?.[1];
    if (!href) throw new Error("no invitation link in the email");
    const token = decodeURIComponent(new URL(href).pathname.split("/").at(-1) ?? "");
    return { href, token };
  }

  async function tokenHashOf(invitation: Invitation): Promise<string> {
    const { data, error } = await db.from("invitations").select("token_hash").eq("id", invitation.id).single();
    if (error) throw new Error(error.message);
    return data.token_hash;
  }

  it("retries through three Resend 500s and sends on attempt 4: one email, whose link is the invitation's token", async () => {
    const invitation = await invite("admin");
    await failNext(invitation, { count: 3, status: 500 });
    await inngest.send(eventFor(invitation));

    const { job, seen } = await watchJob(invitation);
    expect(seen).toContain("retrying");
    expect(job).toMatchObject({
      status: "completed",
      attempt: 4,
      max_attempts: 5,
      error: null,
      org_id: teamId,
      user_id: owner.userId,
      result: { sent: true, alreadySent: false },
    });

    const emails = emailsTo(invitation);
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email!.subject).toBe(`Alice Owner invited you to join ${teamName} on Offload`);
    expect(email!.text).toContain(`Alice Owner invited you to join the team ${teamName} as an admin.`);
    // The date it says is the invitation's expiry, in UTC.
    const { data: row } = await db.from("invitations").select("expires_at").eq("id", invitation.id).single();
    const expiresAt = new Date(row!.expires_at);
    const day = `${expiresAt.getUTCDate()} ${expiresAt.toLocaleString("en-GB", { month: "long", timeZone: "UTC" })} ${expiresAt.getUTCFullYear()}`;
    const time = expiresAt.toISOString().slice(11, 16);
    expect(email!.text).toMatch(new RegExp(`The link expires in 7 days, on \\w+,? ${day} at ${time} UTC`));
    expect(email!.text).toContain("You can ignore this email: nothing happens unless you accept.");

    const { href, token } = linkIn(email!.html);
    expect(tokenHash(token)).toBe(await tokenHashOf(invitation));
    expect(href).toBe(invitationUrl(token));
    expect(href.startsWith(`${stack.app.url}/invitations/`)).toBe(true);
  });

  it("dead-letters a Resend 422 after one attempt with no email; the team's owner replays it and it is sent", async () => {
    const invitation = await invite();
    // Two armed failures: a retry would consume the second and fail again.
    await failNext(invitation, { count: 2, status: 422, message: "Invalid `to` field." });
    await inngest.send(eventFor(invitation));

    const { job: failed } = await watchJob(invitation);
    expect(failed).toMatchObject({ status: "failed", attempt: 1, event_name: "app/team.invitation_sent" });
    expect(failed.error).toMatch(/Resend rejected the invitation email \(422\): Invalid `to` field\./);
    expect(emailsTo(invitation)).toHaveLength(0);
    expect(runsOf(invitation)[0]?.steps.find((step) => step.name === "send-email")?.attempts).toBe(1);

    // The owner's console lists it among the team's dead letters, by the registry's type.
    const letters = await owner.json<DeadLetterPage>(`/api/admin/dead-letters?type=team-invitation&orgId=${teamId}`);
    expect(letters.status).toBe(200);
    expect(letters.body.jobs.map((job) => job.id)).toEqual([failed.id]);

    await fetch(`${mail.url}/_devstack/fail`, { method: "DELETE" });
    const replayed = await owner.json<{ jobId: string; replayId: string }>(`/api/admin/jobs/${failed.id}/replay`, {
      method: "POST",
    });
    expect(replayed.status).toBe(202);
    const replay = await waitForTerminal(replayed.body.replayId);
    expect(replay).toMatchObject({
      status: "completed",
      type: "team-invitation",
      org_id: teamId,
      user_id: owner.userId,
      replay_of: failed.id,
      result: { sent: true },
    });
    expect((await readJob(failed.id)).status).toBe("failed");

    const emails = emailsTo(invitation);
    expect(emails).toHaveLength(1);
    expect(tokenHash(linkIn(emails[0]!.html).token)).toBe(await tokenHashOf(invitation));
  });

  it("sends one email however often the event is delivered, under its id or another, and when its run is rerun", async () => {
    const invitation = await invite();
    const event = eventFor(invitation);
    await inngest.send(event);
    await watchJob(invitation);

    await Promise.all([...Array(4)].map(() => inngest.send(event)));
    // Without the event id, the function's idempotency key (invitation and nonce) still holds.
    await Promise.all([...Array(2)].map(() => inngest.send(invitationSent.create(event.data))));
    const [firstRun] = runsOf(invitation);
    const rerun = await fetch(`${executor.url}/v1/runs/${firstRun!.id}/rerun`, { method: "POST" });
    expect(rerun.ok).toBe(true);
    const { data } = (await rerun.json()) as { data: { run_id: string } };
    await expect.poll(() => executor.store.runs.get(data.run_id)?.endedAt, { timeout: 20_000 }).toBeDefined();

    const runs = [...executor.store.runs.values()].filter(
      (run) => run.functionId.endsWith("send-invitation") && run.event.data?.invitationId === invitation.id,
    );
    // The first run and the rerun: the duplicates were dropped before running.
    expect(runs).toHaveLength(2);
    expect(runs.every((run) => run.status === "Completed")).toBe(true);
    expect(emailsTo(invitation)).toHaveLength(1);
    expect(await jobOf(invitation)).toMatchObject({ status: "completed", attempt: 1 });
  });

  it("reruns a sent invitation as a no-op that says so, after the team was renamed (Resend's 409 for its key)", async () => {
    const invitation = await invite();
    await inngest.send(eventFor(invitation));
    await watchJob(invitation);
    const renamed = await db.from("organisations").update({ name: `${teamName} Renamed` }).eq("id", teamId);
    expect(renamed.error).toBeNull();
    try {
      const [firstRun] = runsOf(invitation);
      const response = await fetch(`${executor.url}/v1/runs/${firstRun!.id}/rerun`, { method: "POST" });
      const { data } = (await response.json()) as { data: { run_id: string } };
      await expect.poll(() => executor.store.runs.get(data.run_id)?.endedAt, { timeout: 20_000 }).toBeDefined();
      const rerun = executor.store.runs.get(data.run_id)!;
      expect(rerun.status).toBe("Completed");
      expect(rerun.output).toEqual({ sent: true, emailId: null, alreadySent: true });
      expect(emailsTo(invitation)).toHaveLength(1);
    } finally {
      await db.from("organisations").update({ name: teamName }).eq("id", teamId);
    }
  });

  it("sends nothing for a superseded token, and the re-invitation's own email carries the new one", async () => {
    const first = await invite();
    const second = await reinvite(first);
    await inngest.send(eventFor(first));
    const { job } = await watchJob(first);
    expect(job).toMatchObject({ status: "completed", attempt: 1, result: { sent: false, reason: "superseded" } });
    expect(emailsTo(first)).toHaveLength(0);

    await inngest.send(eventFor(second));
    expect((await watchJob(second)).job).toMatchObject({ status: "completed", result: { sent: true } });
    const emails = emailsTo(second);
    expect(emails).toHaveLength(1);
    expect(tokenHash(linkIn(emails[0]!.html).token)).toBe(await tokenHashOf(second));
  });

  it.each([
    {
      reason: "revoked",
      change: (invitation: Invitation) => db.from("invitations").delete().eq("id", invitation.id),
    },
    {
      reason: "expired",
      change: (invitation: Invitation) =>
        db.from("invitations").update({ expires_at: new Date(Date.now() - 60_000).toISOString() }).eq("id", invitation.id),
    },
    {
      reason: "accepted",
      change: async (invitation: Invitation) => {
        const invitee = await signUpUser("Bob");
        return db
          .from("invitations")
          .update({ accepted_at: new Date().toISOString(), accepted_by: invitee.id })
          .eq("id", invitation.id);
      },
    },
  ])("completes without an email when the invitation was $reason before it went", async ({ reason, change }) => {
    const invitation = await invite();
    const { error } = await change(invitation);
    expect(error).toBeNull();
    await inngest.send(eventFor(invitation));
    const { job } = await watchJob(invitation);
    expect(job).toMatchObject({ status: "completed", attempt: 1, error: null, result: { sent: false, reason } });
    expect(emailsTo(invitation)).toHaveLength(0);
  });

  it("goes at Resend's rate, two at a time per team, and is cancelled with its team (the config Inngest syncs)", () => {
    const fn = [...executor.registry.functions.values()].find((def) => def.id.endsWith("send-invitation"));
    expect(fn?.config).toMatchObject({
      throttle: { limit: 2, period: "1s" },
      concurrency: [{ key: "event.data.orgId", limit: 2 }],
      cancel: expect.arrayContaining([expect.objectContaining({ event: "app/team.deleted", if: "event.data.orgId == async.data.orgId" })]),
    });
  });

  it("ends a queued invitation of a team deleted since without failing: untracked, nothing sent, nothing retried", async () => {
    const gone = { id: randomUUID(), nonce: randomUUID(), email: `gone-${randomUUID()}@example.com` };
    // The event as the API sent it, for a team (and its invitations and jobs) deleted before the run starts.
    await inngest.send(
      invitationSent.create(
        { orgId: randomUUID(), userId: owner.userId, invitationId: gone.id, nonce: gone.nonce },
        { id: invitationEventId(gone.id, gone.nonce) },
      ),
    );
    await expect.poll(() => runsOf(gone)[0]?.status, { timeout: 20_000 }).toBe("Completed");
    const [run] = runsOf(gone);
    expect(run?.output).toEqual({ sent: false, reason: "revoked" });
    expect(run?.steps.every((step) => step.attempts === 1)).toBe(true);
    expect(await jobOf(gone)).toBeNull();
  });
});
