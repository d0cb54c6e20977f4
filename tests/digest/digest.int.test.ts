import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppStack, type AppStack } from "../support/app-stack";
import { sql } from "../support/sql";
import { serviceClient, signUpUser, type TestUser } from "../support/supabase";
import { localDate, zoneAt } from "./seed";

/** A fixed-offset zone where it is now around noon, so every test user is past 08:00. */
const zoneAtNoon = () => zoneAt(12);

describe(`daily digest (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let active: TestUser[];
  let quiet: TestUser[];
  let optedOut: TestUser;

  const runs = (functionId: string) =>
    [...stack.executor.store.runs.values()].filter((run) => run.functionId === functionId);
  const digestsTo = (email: string) =>
    stack.mail.outbox.list({ to: email }).filter((mail) => mail.subject.startsWith("Your Offload digest"));

  async function runDigestCron() {
    const before = runs("offload-daily-digest").length;
    const invoked = await fetch(`${stack.executor.url}/v1/functions/offload-daily-digest/invoke`, { method: "POST", body: "{}" });
    expect(invoked.ok).toBe(true);
    await expect.poll(() => runs("offload-daily-digest").length, { timeout: 10_000 }).toBe(before + 1);
    await expect
      .poll(
        () => [...runs("offload-daily-digest"), ...runs("offload-send-digest")].every((run) => run.endedAt !== undefined),
        { timeout: 60_000 },
      )
      .toBe(true);
  }

  beforeAll(async () => {
    stack = await startAppStack();
    const users = await Promise.all(Array.from({ length: 9 }, (_, i) => signUpUser(`Reader ${i}`)));
    active = users.slice(0, 5);
    quiet = users.slice(5, 8);
    optedOut = users[8]!;
    const timeZone = zoneAtNoon();
    for (const user of users) {
      const { error } = await db
        .from("profiles")
        .update({ digest_opt_in: user !== optedOut, time_zone: timeZone })
        .eq("id", user.id);
      expect(error).toBeNull();
    }
    const now = Date.now();
    for (const user of [...active, optedOut]) {
      // supabase/seed.sql's demo generator.
      await sql("select public.generate_activity($1, 50, $2, $3)", [
        user.orgId,
        new Date(now - 20 * 3_600_000).toISOString(),
        new Date(now - 3_600_000).toISOString(),
      ]);
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("sends one digest to each opted-in user with activity, none to the others, and nothing more on a second run", async () => {
    await runDigestCron();
    for (const user of active) expect(digestsTo(user.email)).toHaveLength(1);
    for (const user of [...quiet, optedOut]) expect(digestsTo(user.email)).toHaveLength(0);
    // Other test files share the database and may leave opted-in users: count only ours.
    const ours = new Set([...active, ...quiet, optedOut].map((user) => user.id));
    const ourSendRuns = () =>
      runs("offload-send-digest").filter((run) => ours.has((run.event.data as { userId: string }).userId)).length;
    // Quiet users get no event at all: the fan-out records their day as done instead.
    expect(ourSendRuns()).toBe(active.length);
    const { data: settled } = await db.from("profiles").select("last_digest_on").in("id", quiet.map((u) => u.id));
    const today = localDate(zoneAtNoon());
    expect(settled?.map((p) => p.last_digest_on)).toEqual(quiet.map(() => today));

    await runDigestCron();
    for (const user of active) expect(digestsTo(user.email)).toHaveLength(1);
    expect(ourSendRuns()).toBe(active.length);

    // Each digest was mirrored as its own job, so a failure would be visible per user.
    const { data: jobs } = await db.from("jobs").select("user_id, status").eq("type", "send-digest").in(
      "user_id",
      active.map((u) => u.id),
    );
    expect(jobs).toHaveLength(active.length);
    expect(jobs!.every((job) => job.status === "completed")).toBe(true);
  });

  it("carries a one-click unsubscribe that works signed out, can't be forged, and stops the next digest", async () => {
    const [reader] = active;
    const [digest] = digestsTo(reader!.email);
    const header = digest?.headers["List-Unsubscribe"] ?? "";
    expect(digest?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const url = new URL(/^<(.+)>$/.exec(header)![1]!);
    expect(url.pathname).toBe("/api/digest/unsubscribe");

    const token = url.searchParams.get("token")!;
    const forged = `${quiet[0]!.id}.${token.split(".")[1]}`;
    const refused = await fetch(`${stack.app.url}/api/digest/unsubscribe?token=${encodeURIComponent(forged)}`, {
      method: "POST",
    });
    expect(refused.status).toBe(400);
    const { data: untouched } = await db.from("profiles").select("digest_opt_in").eq("id", quiet[0]!.id).single();
    expect(untouched?.digest_opt_in).toBe(true);

    const oneClick = await fetch(`${stack.app.url}${url.pathname}${url.search}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    const { data: profile } = await db.from("profiles").select("digest_opt_in").eq("id", reader!.id).single();
    expect(profile?.digest_opt_in).toBe(false);

    // The next day's run asks who is due: with the day's digests forgotten, everyone but
    // the unsubscribed reader would be.
    await db.from("profiles").update({ last_digest_on: null }).in("id", active.map((u) => u.id));
    const { data: due } = await db.rpc("digest_recipients_due", { p_limit: 1000, p_now: new Date().toISOString() });
    const dueIds = new Set(due!.map((row) => row.user_id));
    expect(dueIds.has(reader!.id)).toBe(false);
    for (const user of active.slice(1)) expect(dueIds.has(user.id)).toBe(true);
  });
});
