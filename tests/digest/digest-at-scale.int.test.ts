/**
 * The daily digest at scale, on both databases: 10,000 opted-in users due now, seeded in
 * one statement through the global setup's SQL hook (PGlite lives in the setup process,
 * so the hook does too; sign-ups through the API would take minutes).
 *
 * Only 1 in 125 users has activity. That keeps the test short for a reason that holds in
 * production too: send-digest is throttled to Resend's 2/s, so each digest costs half a
 * second, while quiet users cost no run at all (the fan-out settles them in SQL).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import type { Run } from "@/devstack/inngest/store";
import { startAppStack, type AppStack } from "../support/app-stack";
import { serviceClient } from "../support/supabase";
import { sql } from "../support/sql";
import { localDate, seedDigestUsers, zoneAt, type SeededUser } from "./seed";

const FAN_OUT = "offload-daily-digest";
const SEND = "offload-send-digest";
const ACTIVE_EVERY = 125;

const fanOutOutput = z.object({ pages: z.number(), queued: z.number(), settled: z.number() });
const digestEvent = z.object({ userId: z.string() });

describe(`daily digest for 10,000 users (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;

  const runsOf = (functionId: string) => [...stack.executor.store.runs.values()].filter((run) => run.functionId === functionId);
  const userOf = (run: Run) => digestEvent.safeParse(run.event.data).data?.userId;

  /** Per user, how many send-digest runs and digest emails they got. */
  function tally(users: SeededUser[]) {
    const runs = new Map<string, number>();
    for (const run of runsOf(SEND)) {
      const userId = userOf(run);
      if (userId) runs.set(userId, (runs.get(userId) ?? 0) + 1);
    }
    const emails = new Map<string, number>();
    for (const mail of stack.mail.outbox.list()) {
      if (!mail.subject.startsWith("Your Offload digest")) continue;
      for (const to of mail.to) emails.set(to, (emails.get(to) ?? 0) + 1);
    }
    return users.map((user) => ({ user, runs: runs.get(user.id) ?? 0, emails: emails.get(user.email) ?? 0 }));
  }

  /** Runs the cron by hand, as the runs page does, and waits for the fan-out to finish. */
  async function runCron() {
    const invoked = await fetch(`${stack.executor.url}/v1/functions/${FAN_OUT}/invoke`, { method: "POST", body: "{}" });
    expect(invoked.ok).toBe(true);
    const { data } = z.object({ data: z.object({ run_id: z.string() }) }).parse(await invoked.json());
    await expect.poll(() => stack.executor.store.runs.get(data.run_id)?.endedAt, { timeout: 180_000, interval: 50 }).toBeDefined();
    const run = stack.executor.store.runs.get(data.run_id);
    expect(run?.status).toBe("Completed");
    return fanOutOutput.parse(run?.output);
  }

  /** Waits until every digest run the fan-outs started has finished (2 a second, throttled). */
  async function sendsFinished(expected: number) {
    await expect
      .poll(() => runsOf(SEND).filter((run) => run.endedAt === undefined).length, { timeout: 30_000 + expected * 1_000, interval: 500 })
      .toBe(0);
  }

  async function expectExactlyOnce(users: SeededUser[], emailPattern: string, zone: string) {
    const active = users.filter((user) => user.active);
    for (const { user, runs, emails } of tally(users)) {
      expect({ user: user.email, runs, emails }).toEqual({ user: user.email, runs: user.active ? 1 : 0, emails: user.active ? 1 : 0 });
    }
    // Each digest is one job, so a failed one would show per user in the dead letters.
    const { data: jobs } = await db.from("jobs").select("user_id, status").eq("type", "send-digest").in("user_id", active.map((u) => u.id));
    expect(jobs?.map((job) => job.status).sort()).toEqual(active.map(() => "completed"));
    // Everyone's day is done: the active by send-digest, the quiet by the fan-out.
    const days = await sql("select last_digest_on::text as day, count(*)::int as users from public.profiles where email like $1 group by 1", [
      emailPattern,
    ]);
    expect(days).toEqual([{ day: localDate(zone), users: users.length }]);
  }

  beforeAll(async () => {
    stack = await startAppStack();
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("sends one digest to each user with activity and none to the others; more runs that day send nothing", async () => {
    const zone = zoneAt(12);
    const { users, emailPattern } = await seedDigestUsers({ count: 10_000, zone, activeEvery: ACTIVE_EVERY });
    // Users whose local morning hasn't come yet: nothing for them, active or not.
    const asleep = await seedDigestUsers({ count: 200, zone: zoneAt(4), activeEvery: 2 });
    const active = users.filter((user) => user.active);
    expect(active).toHaveLength(10_000 / ACTIVE_EVERY);

    const first = await runCron();
    expect(first.pages).toBeGreaterThan(1);
    // Every event is in (the runs exist, most still throttled): one per active user, none else.
    const queued = tally([...users, ...asleep.users]);
    expect(queued.filter((t) => t.runs > 0).map((t) => t.user.id).sort()).toEqual(active.map((u) => u.id).sort());
    expect(queued.every((t) => t.runs <= 1)).toBe(true);

    // The same day again, while most digests still wait for their turn: their events are
    // sent again and start nothing.
    await runCron();
    await sendsFinished(active.length);
    await expectExactlyOnce(users, emailPattern, zone);
    for (const { runs, emails } of tally(asleep.users)) expect({ runs, emails }).toEqual({ runs: 0, emails: 0 });

    // And once everything went out, a third run finds none of them due.
    const sendRuns = runsOf(SEND).length;
    await runCron();
    expect(runsOf(SEND).length).toBe(sendRuns);
    await expectExactlyOnce(users, emailPattern, zone);
    const [stillAsleep] = await sql("select count(*)::int as n from public.profiles where email like $1 and last_digest_on is null", [
      asleep.emailPattern,
    ]);
    expect(stillAsleep).toEqual({ n: asleep.users.length });
  }, 300_000);

  it("misses no one and doubles no one when the app is killed in the middle of the fan-out", async () => {
    const zone = zoneAt(12);
    // Three pages of 2,000; the app dies while the second page's events are being taken in.
    const { users, emailPattern } = await seedDigestUsers({ count: 6_000, zone, activeEvery: ACTIVE_EVERY });
    const ours = new Set(users.map((user) => user.id));

    const executor = stack.executor.executor;
    const send = executor.send.bind(executor);
    let batches = 0;
    let restarted: Promise<void> | undefined;
    executor.send = (events) => {
      const ourDigests = events.filter(
        (event) => event.name === "app/digest.requested" && ours.has(digestEvent.safeParse(event.data).data?.userId ?? ""),
      );
      if (ourDigests.length > 0 && ++batches === 2) {
        // Kills the app at once (SIGKILL, before this returns), as if it died halfway through
        // the page's sends: half the events are taken in, the rest never arrive, and the
        // step never hears back, so it runs again after the restart. Those taken in must
        // not start twice; the others must not be lost.
        restarted = stack.restartApp();
        return send(events.slice(0, Math.ceil(events.length / 2)));
      }
      return send(events);
    };
    try {
      const fanOutDone = runCron();
      await expect.poll(() => batches, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(2);
      await restarted;
      await fanOutDone;
      // The fan-out carried on after the restart: the killed page again, and the rest.
      expect(batches).toBeGreaterThan(2);
    } finally {
      executor.send = send;
    }

    await sendsFinished(users.filter((user) => user.active).length);
    await expectExactlyOnce(users, emailPattern, zone);
  }, 300_000);
});
