import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { NotificationList } from "@/lib/notifications/schemas";
import { PAGE_ORGANISATION_HEADER } from "@/lib/http/client";
import { invitationRow } from "../db/teams-support";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, serviceClient } from "../support/supabase";

type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string> } };

type Init = { method?: string; body?: string; headers?: Record<string, string> };

const post = (body: unknown): Init => ({ method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

/**
 * The notifications API through the real app. Notifications are made as in production, by
 * the database's triggers (a report job ending, an invitation to one's address); each user
 * reads and marks only their own.
 */
describe(`the notifications API (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let alice: ApiClient;
  let bob: ApiClient;

  const personalOrgOf = async (userId: string) => {
    const { data, error } = await db
      .from("memberships")
      .select("org_id, organisations!inner(personal)")
      .eq("user_id", userId)
      .eq("organisations.personal", true)
      .single();
    if (error) throw new Error(error.message);
    return data.org_id;
  };

  /** A report of `user`'s that ended `status`: its end makes their notification. */
  const endedReport = async (user: ApiClient, status: "completed" | "failed") => {
    const { data, error } = await db
      .from("jobs")
      .insert({ org_id: await personalOrgOf(user.userId), user_id: user.userId, type: "report", status: "processing" })
      .select("id")
      .single();
    if (error) throw new Error(error.message);
    const ended = await db.from("jobs").update({ status }).eq("id", data.id);
    if (ended.error) throw new Error(ended.error.message);
    return data.id;
  };

  const unreadOf = async (userId: string) =>
    (await db.from("notifications").select("id", { count: "exact", head: true }).eq("user_id", userId).is("read_at", null)).count;

  const list = (user: ApiClient, init?: Init) => user.json<NotificationList & ErrorAnswer>("/api/notifications", init);
  const markRead = (user: ApiClient, body: unknown, init?: Init) =>
    user.json<{ unread: number } & ErrorAnswer>("/api/notifications/read", { ...post(body), ...init });

  beforeAll(async () => {
    stack = await startAppStack();
    [alice, bob] = await Promise.all([signUpThroughApp(stack.app.url, "Alice"), signUpThroughApp(stack.app.url, "Bob")]);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("answers signed-out callers 401 with a JSON error", async () => {
    const get = await fetch(`${stack.app.url}/api/notifications`);
    expect(get.status).toBe(401);
    expect(await get.json()).toMatchObject({ error: { code: "unauthorized" } });
    const read = await fetch(`${stack.app.url}/api/notifications/read`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.app.url },
      body: JSON.stringify({ all: true }),
    });
    expect(read.status).toBe(401);
    expect(await read.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("lists the caller's own, newest first, with their job or the invitation's team, and counts the unread", async () => {
    const empty = await list(alice);
    expect(empty.status).toBe(200);
    expect(empty.headers.get("cache-control")).toBe("no-store");
    expect(empty.body).toEqual({ unread: 0, notifications: [] });

    const ready = await endedReport(alice, "completed");
    const failed = await endedReport(alice, "failed");
    const bobs = await endedReport(bob, "completed");
    // Bob's team invites Alice's address: the invitee can't read the invitation, the API tells her.
    const team = await createTeamOrg([{ userId: bob.userId, role: "owner" }], { name: "Bob's Band" });
    const { row } = invitationRow(team, alice.email, "admin");
    expect((await db.from("invitations").insert({ ...row, invited_by: bob.userId })).error).toBeNull();

    const { status, body } = await list(alice);
    expect(status).toBe(200);
    expect(body.unread).toBe(3);
    expect(body.notifications).toEqual([
      {
        id: expect.any(String),
        kind: "invitation.received",
        createdAt: expect.any(String),
        readAt: null,
        invitation: { orgName: "Bob's Band", role: "admin", inviterName: "Bob", expired: false },
      },
      {
        id: expect.any(String),
        kind: "job.failed",
        createdAt: expect.any(String),
        readAt: null,
        job: { id: failed, type: "report", status: "failed", label: "Report", invitationEmail: null },
      },
      {
        id: expect.any(String),
        kind: "job.completed",
        createdAt: expect.any(String),
        readAt: null,
        job: { id: ready, type: "report", status: "completed", label: "Report", invitationEmail: null },
      },
    ]);
    expect(JSON.stringify(body)).not.toContain(bobs);

    const bobsList = await list(bob);
    expect(bobsList.body.unread).toBe(1);
    expect(bobsList.body.notifications.map((n) => n.job?.id)).toEqual([bobs]);
  });

  it("refuses bad bodies with a 4xx JSON error and marks nothing", async () => {
    await endedReport(alice, "completed");
    const before = await unreadOf(alice.userId);
    expect(before).toBeGreaterThan(0);
    const cases: [unknown, number, string, string | undefined][] = [
      [{}, 400, "invalid_request", undefined],
      [{ all: false }, 400, "invalid_request", "all"],
      [{ ids: [] }, 400, "invalid_request", "ids"],
      [{ ids: ["not-an-id"] }, 400, "invalid_request", "ids.0"],
      [{ ids: "nope" }, 400, "invalid_request", "ids"],
      [{ ids: Array.from({ length: 101 }, () => randomUUID()) }, 400, "invalid_request", "ids"],
      [{ ids: [randomUUID()], all: true }, 400, "invalid_request", undefined],
      [{ all: true, extra: 1 }, 400, "invalid_request", undefined],
      [[randomUUID()], 400, "invalid_request", undefined],
      ["{not json", 400, "invalid_json", undefined],
    ];
    for (const [body, status, code, field] of cases) {
      const answer = await markRead(alice, body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error.code, JSON.stringify(body)).toBe(code);
      if (field) expect(Object.keys(answer.body.error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const wrongType = await alice.fetch("/api/notifications/read", { method: "POST", body: JSON.stringify({ all: true }), headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ error: { code: expect.any(String) } });
    expect(await unreadOf(alice.userId)).toBe(before);
  });

  it("marks read by id only the caller's own: another user's ids change nothing", async () => {
    await endedReport(bob, "failed");
    const bobsIds = (await list(bob)).body.notifications.filter((n) => n.readAt === null).map((n) => n.id);
    expect(bobsIds.length).toBeGreaterThan(0);
    const alicesBefore = await unreadOf(alice.userId);

    const answer = await markRead(alice, { ids: bobsIds });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ unread: alicesBefore });
    expect((await db.from("notifications").select("id").in("id", bobsIds).is("read_at", null)).data).toHaveLength(bobsIds.length);

    // Her own, by id: that one only, and it keeps when it was first read.
    const [first, second] = (await list(alice)).body.notifications.filter((n) => n.readAt === null);
    if (!first || !second) throw new Error("Alice needs two unread notifications here");
    const mine = await markRead(alice, { ids: [first.id, ...bobsIds] });
    expect(mine.body).toEqual({ unread: (alicesBefore ?? 0) - 1 });
    const { body } = await list(alice);
    const readAt = body.notifications.find((n) => n.id === first.id)?.readAt;
    expect(readAt).toEqual(expect.any(String));
    expect(body.notifications.find((n) => n.id === second.id)?.readAt).toBeNull();
    expect((await markRead(alice, { ids: [first.id] })).body).toEqual({ unread: (alicesBefore ?? 0) - 1 });
    expect((await list(alice)).body.notifications.find((n) => n.id === first.id)?.readAt).toBe(readAt);
  });

  it("marks all of the caller's read, and only theirs, from a page showing any organisation", async () => {
    await endedReport(alice, "completed");
    const bobsBefore = await unreadOf(bob.userId);
    expect(bobsBefore).toBeGreaterThan(0);
    // Notifications are the user's, not an organisation's: a tab left on another one may mark them.
    const stale: Init = { headers: { [PAGE_ORGANISATION_HEADER]: randomUUID() } };
    const answer = await markRead(alice, { all: true }, stale);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ unread: 0 });
    expect(await unreadOf(alice.userId)).toBe(0);
    expect(await unreadOf(bob.userId)).toBe(bobsBefore);
    const listed = await list(alice, stale);
    expect(listed.status).toBe(200);
    expect(listed.body.unread).toBe(0);
    expect(listed.body.notifications.every((n) => n.readAt !== null)).toBe(true);
  });
});
