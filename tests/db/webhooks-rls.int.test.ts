import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/supabase/database.types";
import { sql } from "../support/sql";
import { anonClient, createTeamOrg, serviceClient, signUpUser, type Client, type TestUser } from "../support/supabase";
import { invitationToken, invite, randomEmail, refusal } from "./teams-support";
import { A, ACTORS, NA, R, expectCellOutcome, type Actor, type Answer, type Expected } from "./rls-matrix";

/**
 * The webhooks migration's access model, cell by cell, as tests/db/teams-rls.int.test.ts
 * does it for teams: an organisation's owners and admins read and change its endpoints,
 * read its messages and attempts, and register, rotate, test and replay through the
 * functions; signing secrets and everything delivery writes are the service role's alone;
 * notifications are each user's own, and only their read_at is theirs to change. Then the
 * functions' behaviour, and the triggers that write notifications.
 */

type Users = Record<"owner" | "admin" | "member" | "otherOwner", TestUser>;

/** A fresh team per cell: an endpoint with its secret, one message with one attempt, and a notification of the member's. */
type Team = { orgId: string; endpointId: string; secretId: string; messageId: string; attemptId: number; notificationId: string; jobId: string };

type Call = PromiseLike<{ error: { code: string; hint: string; message: string } | null; data: unknown }>;

type Context = { db: Client; team: Team; users: Users; actor: Actor; self: TestUser | null; url: string; secret: string };

type Row = {
  subject: string;
  op: "select" | "insert" | "update" | "delete" | "execute";
  expected: Record<Actor, Expected>;
  prepare?: (c: Context) => Promise<void>;
  act: (c: Context) => Call;
  tookEffect: (c: Context, answer: Answer) => Promise<boolean> | boolean;
};

type Cells = [anon: Expected, member: Expected, admin: Expected, owner: Expected, otherOwner: Expected, service: Expected];

const row = (subject: string, op: Row["op"], cells: Cells, spec: Pick<Row, "act" | "tookEffect" | "prepare">): Row => {
  const [anon, member, admin, owner, otherOwner, service] = cells;
  return { subject, op, expected: { anon, member, admin, owner, otherOwner, service }, ...spec };
};

const returned = (answer: Answer, id: string | number, key = "id") =>
  answer.rows.some((r) => typeof r === "object" && r !== null && (r as Record<string, unknown>)[key] === id);

const service = () => serviceClient();

/** A secret as the app makes one: `whsec_` and 32 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const newUrl = () => `https://hooks.example.com/${randomUUID()}`;

async function endpoint(id: string) {
  const { data } = await service().from("webhook_endpoints").select("*").eq("id", id).maybeSingle();
  return data;
}
async function secretsOf(endpointId: string) {
  const { data } = await service().from("webhook_secrets").select("*").eq("endpoint_id", endpointId).order("created_at");
  return data ?? [];
}
async function message(id: string) {
  const { data } = await service().from("webhook_messages").select("*").eq("id", id).maybeSingle();
  return data;
}
async function notification(id: string) {
  const { data } = await service().from("notifications").select("*").eq("id", id).maybeSingle();
  return data;
}
const notificationsOf = async (filter: { jobId?: string; invitationId?: string }) => {
  let query = service().from("notifications").select("*");
  if (filter.jobId) query = query.eq("job_id", filter.jobId);
  if (filter.invitationId) query = query.eq("invitation_id", filter.invitationId);
  const { data, error } = await query;
  if (error) throw new Error(error.message);
  return data;
};

/** A function's answer as rows: one when it says something, none when it says nothing. */
const yes = async (call: Call) => {
  const { error, data } = await call;
  return { error, data: data === false || data === null || (Array.isArray(data) && data.length === 0) ? null : data };
};

type EndpointInsert = Database["public"]["Tables"]["webhook_endpoints"]["Insert"];

async function insertEndpoint(orgId: string, fields: Partial<EndpointInsert> = {}) {
  const { data, error } = await service()
    .from("webhook_endpoints")
    .insert({ org_id: orgId, url: newUrl(), event_types: ["job.completed", "report.ready"], ...fields })
    .select("id")
    .single();
  if (error) throw new Error(`could not add the endpoint: ${error.message}`);
  const secret = await service().from("webhook_secrets").insert({ endpoint_id: data.id, secret: newSecret() }).select("id").single();
  if (secret.error) throw new Error(`could not add the secret: ${secret.error.message}`);
  return { endpointId: data.id, secretId: secret.data.id };
}

async function insertMessage(orgId: string, endpointId: string, fields: Partial<Database["public"]["Tables"]["webhook_messages"]["Insert"]> = {}) {
  const { data, error } = await service()
    .from("webhook_messages")
    .insert({ org_id: orgId, endpoint_id: endpointId, event_type: "job.completed", payload: { n: 1 }, dedupe_key: `test:${randomUUID()}`, ...fields })
    .select("id")
    .single();
  if (error) throw new Error(`could not add the message: ${error.message}`);
  return data.id;
}

/** A job of `userId`'s, written running and then moved to `status`, as the job mirror does. */
async function endedJob(orgId: string, userId: string | null, type: string, status: "completed" | "failed" | "cancelled", payload: Record<string, string> = {}) {
  const { data, error } = await service().from("jobs").insert({ org_id: orgId, user_id: userId, type, status: "processing", payload }).select("id").single();
  if (error) throw new Error(`could not add the job: ${error.message}`);
  const ended = await service().from("jobs").update({ status }).eq("id", data.id);
  if (ended.error) throw new Error(`could not end the job: ${ended.error.message}`);
  return data.id;
}

const attemptArgs = (messageId: string, outcome: "delivered" | "retry" | "failed", startedAt = new Date().toISOString()) => ({
  p_message_id: messageId,
  p_started_at: startedAt,
  p_duration_ms: 12,
  p_status_code: outcome === "delivered" ? 200 : 503,
  p_response_excerpt: outcome === "delivered" ? "ok" : "unavailable",
  p_error: outcome === "delivered" ? "" : "HTTP 503",
  p_outcome: outcome,
  p_next_attempt_at: outcome === "retry" ? new Date(Date.now() + 60_000).toISOString() : undefined,
});

/** The actor's own user, or (for anon and the service role, who have none) the member's. */
const selfOrMember = (c: Context) => c.self ?? c.users.member;

// The matrix. Columns: anon, member, admin, owner, another team's owner, service role.
const MATRIX: Row[] = [
  // webhook_endpoints
  row("webhook_endpoints: read the team's endpoint", "select", [R, R, A, A, R, A], {
    act: (c) => c.db.from("webhook_endpoints").select("id").eq("id", c.team.endpointId),
    tookEffect: (c, answer) => returned(answer, c.team.endpointId),
  }),
  row("webhook_endpoints: insert one directly (endpoints come with a secret, through create_webhook_endpoint)", "insert", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_endpoints").insert({ org_id: c.team.orgId, url: c.url, event_types: ["job.failed"] }).select("id"),
    tookEffect: async (c) => ((await service().from("webhook_endpoints").select("id").eq("url", c.url)).data ?? []).length === 1,
  }),
  row("webhook_endpoints: change the URL and event types", "update", [R, R, A, A, R, A], {
    act: (c) => c.db.from("webhook_endpoints").update({ url: c.url, event_types: ["job.failed"] }).eq("id", c.team.endpointId).select("id"),
    tookEffect: async (c) => (await endpoint(c.team.endpointId))?.url === c.url,
  }),
  row("webhook_endpoints: turn it off", "update", [R, R, A, A, R, A], {
    act: (c) => c.db.from("webhook_endpoints").update({ enabled: false }).eq("id", c.team.endpointId).select("id"),
    tookEffect: async (c) => (await endpoint(c.team.endpointId))?.enabled === false,
  }),
  row("webhook_endpoints: clear its failure record (delivery's column)", "update", [R, R, R, R, R, A], {
    prepare: async (c) => {
      await service().from("webhook_endpoints").update({ failing_since: new Date().toISOString() }).eq("id", c.team.endpointId);
    },
    act: (c) => c.db.from("webhook_endpoints").update({ failing_since: null }).eq("id", c.team.endpointId).select("id"),
    tookEffect: async (c) => (await endpoint(c.team.endpointId))?.failing_since === null,
  }),
  row("webhook_endpoints: move it to another organisation", "update", [R, R, R, R, R, R], {
    act: (c) => c.db.from("webhook_endpoints").update({ org_id: c.users.otherOwner.orgId }).eq("id", c.team.endpointId).select("id"),
    tookEffect: async (c) => (await endpoint(c.team.endpointId))?.org_id !== c.team.orgId,
  }),
  row("webhook_endpoints: delete it", "delete", [R, R, A, A, R, A], {
    act: (c) => c.db.from("webhook_endpoints").delete().eq("id", c.team.endpointId).select("id"),
    tookEffect: async (c) => (await endpoint(c.team.endpointId)) === null,
  }),

  // webhook_secrets: the server's alone, even owners read nothing.
  row("webhook_secrets: read the endpoint's secret", "select", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_secrets").select("id, secret").eq("endpoint_id", c.team.endpointId),
    tookEffect: (c, answer) => returned(answer, c.team.secretId),
  }),
  row("webhook_secrets: read which secrets exist (no secret column)", "select", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_secrets").select("id, expires_at").eq("endpoint_id", c.team.endpointId),
    tookEffect: (c, answer) => returned(answer, c.team.secretId),
  }),
  row("webhook_secrets: add one", "insert", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_secrets").insert({ endpoint_id: c.team.endpointId, secret: c.secret, expires_at: new Date(Date.now() + 60_000).toISOString() }).select("id"),
    tookEffect: async (c) => (await secretsOf(c.team.endpointId)).some((s) => s.secret === c.secret),
  }),
  row("webhook_secrets: replace the current one", "update", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_secrets").update({ secret: c.secret }).eq("id", c.team.secretId).select("id"),
    tookEffect: async (c) => (await secretsOf(c.team.endpointId)).some((s) => s.secret === c.secret),
  }),
  row("webhook_secrets: delete it", "delete", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_secrets").delete().eq("id", c.team.secretId).select("id"),
    tookEffect: async (c) => (await secretsOf(c.team.endpointId)).length === 0,
  }),

  // webhook_messages and webhook_attempts: read by owners and admins, written by delivery.
  row("webhook_messages: read the endpoint's message", "select", [R, R, A, A, R, A], {
    act: (c) => c.db.from("webhook_messages").select("id").eq("id", c.team.messageId),
    tookEffect: (c, answer) => returned(answer, c.team.messageId),
  }),
  row("webhook_messages: add one", "insert", [R, R, R, R, R, A], {
    act: (c) =>
      c.db
        .from("webhook_messages")
        .insert({ org_id: c.team.orgId, endpoint_id: c.team.endpointId, event_type: "job.completed", payload: {}, dedupe_key: c.url })
        .select("id"),
    tookEffect: async (c) => ((await service().from("webhook_messages").select("id").eq("dedupe_key", c.url)).data ?? []).length === 1,
  }),
  row("webhook_messages: mark it delivered", "update", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_messages").update({ status: "delivered" }).eq("id", c.team.messageId).select("id"),
    tookEffect: async (c) => (await message(c.team.messageId))?.status === "delivered",
  }),
  row("webhook_messages: delete it", "delete", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_messages").delete().eq("id", c.team.messageId).select("id"),
    tookEffect: async (c) => (await message(c.team.messageId)) === null,
  }),
  row("webhook_attempts: read the message's attempt", "select", [R, R, A, A, R, A], {
    act: (c) => c.db.from("webhook_attempts").select("id").eq("message_id", c.team.messageId),
    tookEffect: (c, answer) => returned(answer, c.team.attemptId),
  }),
  row("webhook_attempts: add one", "insert", [R, R, R, R, R, A], {
    act: (c) =>
      c.db
        .from("webhook_attempts")
        .insert({ message_id: c.team.messageId, org_id: c.team.orgId, attempt: 2, started_at: new Date().toISOString(), duration_ms: 1, outcome: "delivered" })
        .select("id"),
    tookEffect: async (c) => ((await service().from("webhook_attempts").select("id").eq("message_id", c.team.messageId)).data ?? []).length === 2,
  }),
  row("webhook_attempts: rewrite one", "update", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_attempts").update({ outcome: "delivered" }).eq("id", c.team.attemptId).select("id"),
    tookEffect: async (c) => (await service().from("webhook_attempts").select("outcome").eq("id", c.team.attemptId).single()).data?.outcome === "delivered",
  }),
  row("webhook_attempts: delete one", "delete", [R, R, R, R, R, A], {
    act: (c) => c.db.from("webhook_attempts").delete().eq("id", c.team.attemptId).select("id"),
    tookEffect: async (c) => (await service().from("webhook_attempts").select("id").eq("id", c.team.attemptId).maybeSingle()).data === null,
  }),

  // notifications: each user's own; only read_at is theirs to set.
  row("notifications: read the member's", "select", [R, A, R, R, R, A], {
    act: (c) => c.db.from("notifications").select("id").eq("id", c.team.notificationId),
    tookEffect: (c, answer) => returned(answer, c.team.notificationId),
  }),
  row("notifications: mark the member's read", "update", [R, A, R, R, R, A], {
    act: (c) => c.db.from("notifications").update({ read_at: new Date().toISOString() }).eq("id", c.team.notificationId).select("id"),
    tookEffect: async (c) => (await notification(c.team.notificationId))?.read_at !== null,
  }),
  row("notifications: change the member's kind (only read_at is theirs)", "update", [R, R, R, R, R, A], {
    act: (c) => c.db.from("notifications").update({ kind: "job.failed" }).eq("id", c.team.notificationId).select("id"),
    tookEffect: async (c) => (await notification(c.team.notificationId))?.kind === "job.failed",
  }),
  row("notifications: give the member's to oneself (anon, service: to the admin)", "update", [R, R, R, R, R, A], {
    act: (c) => c.db.from("notifications").update({ user_id: (c.self ?? c.users.admin).id }).eq("id", c.team.notificationId).select("id"),
    tookEffect: async (c) => (await notification(c.team.notificationId))?.user_id !== c.users.member.id,
  }),
  row("notifications: write one for oneself (anon, service: for the member)", "insert", [R, R, R, R, R, A], {
    act: (c) => c.db.from("notifications").insert({ user_id: selfOrMember(c).id, kind: "job.failed", job_id: c.team.jobId }).select("id"),
    tookEffect: async (c) => (await notificationsOf({ jobId: c.team.jobId })).some((n) => n.kind === "job.failed"),
  }),
  row("notifications: delete the member's", "delete", [R, R, R, R, R, A], {
    act: (c) => c.db.from("notifications").delete().eq("id", c.team.notificationId).select("id"),
    tookEffect: async (c) => (await notification(c.team.notificationId)) === null,
  }),

  // Functions.
  // Registering needs a signed-in owner or admin: the service role inserts directly.
  row("create_webhook_endpoint", "execute", [R, R, A, A, R, R], {
    act: (c) =>
      c.db.rpc("create_webhook_endpoint", { p_org_id: c.team.orgId, p_url: c.url, p_description: "Orders", p_event_types: ["job.completed"], p_secret: c.secret }),
    tookEffect: async (c) => {
      const { data } = await service().from("webhook_endpoints").select("id, created_by").eq("url", c.url).maybeSingle();
      if (!data) return false;
      const secrets = await secretsOf(data.id);
      return data.created_by === c.self?.id && secrets.length === 1 && secrets[0]?.secret === c.secret;
    },
  }),
  row("rotate_webhook_secret", "execute", [R, R, A, A, R, R], {
    act: (c) => c.db.rpc("rotate_webhook_secret", { p_endpoint_id: c.team.endpointId, p_secret: c.secret }),
    tookEffect: async (c) => (await secretsOf(c.team.endpointId)).some((s) => s.secret === c.secret && s.expires_at === null),
  }),
  row("create_test_webhook_message", "execute", [R, R, A, A, R, R], {
    act: (c) => yes(c.db.rpc("create_test_webhook_message", { p_endpoint_id: c.team.endpointId, p_payload: { test: true } })),
    tookEffect: async (c) =>
      ((await service().from("webhook_messages").select("id").eq("endpoint_id", c.team.endpointId).eq("event_type", "webhook.test")).data ?? []).length === 1,
  }),
  row("replay_webhook_messages: one failed message", "execute", [R, R, A, A, R, R], {
    prepare: async (c) => {
      await service().from("webhook_messages").update({ status: "failed" }).eq("id", c.team.messageId);
    },
    act: (c) => yes(c.db.rpc("replay_webhook_messages", { p_endpoint_id: c.team.endpointId, p_message_id: c.team.messageId })),
    tookEffect: async (c) => {
      const replayed = await message(c.team.messageId);
      return replayed?.status === "pending" && replayed.replays === 1;
    },
  }),
  row("enqueue_webhook_messages", "execute", [R, R, R, R, R, A], {
    act: (c) =>
      yes(c.db.rpc("enqueue_webhook_messages", { p_org_id: c.team.orgId, p_event_type: "job.completed", p_payload: {}, p_dedupe_key: c.url })),
    tookEffect: async (c) => ((await service().from("webhook_messages").select("id").eq("dedupe_key", c.url)).data ?? []).length === 1,
  }),
  row("record_webhook_attempt", "execute", [R, R, R, R, R, A], {
    act: (c) => yes(c.db.rpc("record_webhook_attempt", attemptArgs(c.team.messageId, "delivered"))),
    tookEffect: async (c) => (await message(c.team.messageId))?.status === "delivered",
  }),
  row("skip_webhook_message", "execute", [R, R, R, R, R, A], {
    act: (c) => c.db.rpc("skip_webhook_message", { p_message_id: c.team.messageId, p_reason: "endpoint disabled" }),
    tookEffect: async (c) => (await message(c.team.messageId))?.status === "skipped",
  }),
  row("webhook_disable_after", "execute", [R, R, R, R, R, A], {
    act: (c) => yes(c.db.rpc("webhook_disable_after")),
    tookEffect: (_c, answer) => answer.rows.length === 1 && typeof answer.rows[0] === "string",
  }),
  // The nightly cleanup's. Its cut-off is long before any other test's messages.
  row("delete_expired_webhook_messages", "execute", [R, R, R, R, R, A], {
    prepare: async (c) => {
      await service().from("webhook_messages").delete().eq("id", c.team.messageId);
      c.team.messageId = await insertMessage(c.team.orgId, c.team.endpointId, { status: "delivered", updated_at: "2000-01-01T00:00:00Z" });
    },
    act: (c) => yes(c.db.rpc("delete_expired_webhook_messages", { p_status: "delivered", p_before: "2000-01-02T00:00:00Z", p_limit: 10 })),
    tookEffect: async (c) => (await message(c.team.messageId)) === null,
  }),
];

const CELLS = MATRIX.flatMap((r) =>
  ACTORS.filter((actor) => r.expected[actor] !== NA).map((actor) => ({ ...r, actor, outcome: r.expected[actor] })),
);

describe("webhooks and notifications: row-level security matrix", () => {
  let users: Users;

  beforeAll(async () => {
    const [owner, admin, member, otherOwner] = await Promise.all([signUpUser("Owner"), signUpUser("Admin"), signUpUser("Member"), signUpUser("Other Owner")]);
    users = { owner, admin, member, otherOwner };
    // The stranger owns a team of their own.
    await createTeamOrg([{ userId: otherOwner.id, role: "owner" }]);
  });

  // One cell's team at a time, so the owner stays within the 20 teams an account may own.
  let previousTeam: string | null = null;

  async function freshTeam(): Promise<Team> {
    if (previousTeam) {
      const { error } = await service().from("organisations").delete().eq("id", previousTeam);
      if (error) throw new Error(`could not clear the last cell's team: ${error.message}`);
    }
    const orgId = await createTeamOrg([
      { userId: users.owner.id, role: "owner" },
      { userId: users.admin.id, role: "admin" },
      { userId: users.member.id, role: "member" },
    ]);
    previousTeam = orgId;
    const { endpointId, secretId } = await insertEndpoint(orgId);
    const messageId = await insertMessage(orgId, endpointId);
    const attempt = await service()
      .from("webhook_attempts")
      .insert({ message_id: messageId, org_id: orgId, attempt: 1, started_at: new Date().toISOString(), duration_ms: 5, outcome: "retry", status_code: 503 })
      .select("id")
      .single();
    if (attempt.error) throw new Error(`could not add the attempt: ${attempt.error.message}`);
    const jobId = await endedJob(orgId, users.member.id, "report", "completed");
    const [made] = await notificationsOf({ jobId });
    if (!made) throw new Error("the member's report made no notification");
    return { orgId, endpointId, secretId, messageId, attemptId: attempt.data.id, notificationId: made.id, jobId };
  }

  function as(actor: Actor): { db: Client; self: TestUser | null } {
    if (actor === "anon") return { db: anonClient(), self: null };
    if (actor === "service") return { db: service(), self: null };
    return { db: users[actor].client, self: users[actor] };
  }

  // Every function the migration adds that an API role may call has its execute row, so
  // a new one can't go untested. (Which ones: the database's grants, not a list here.)
  it("has an execute row for every new function an API role can call", async () => {
    const migration = await readFile(path.resolve(import.meta.dirname, "../../supabase/migrations/20261203000000_webhooks.sql"), "utf8");
    const created = [...migration.matchAll(/^create function public\.(\w+)\(/gm)].map((match) => match[1]);
    expect(created).toContain("notify_job_end");
    const rows = await sql(
      `select distinct p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        cross join (values ('anon'), ('authenticated'), ('service_role')) r(role)
        where n.nspname = 'public' and p.proname = any($1::text[]) and has_function_privilege(r.role, p.oid, 'execute')
        order by 1`,
      [created],
    );
    const callable = rows.map((r) => (r as { name: string }).name);
    expect(callable).toContain("create_webhook_endpoint");
    // The trigger functions are no API role's to call.
    expect(callable).not.toContain("notify_job_end");
    expect(callable).not.toContain("notify_invitation");
    const withRows = new Set(MATRIX.filter((r) => r.op === "execute").map((r) => r.subject.split(/[ :]/)[0]));
    expect(callable.filter((name) => !withRows.has(name))).toEqual([]);
  });

  it.each(CELLS)("$subject ($op) as $actor: $outcome", async (cell) => {
    const team = await freshTeam();
    const { db, self } = as(cell.actor);
    const c: Context = { db, team, users, actor: cell.actor, self, url: newUrl(), secret: newSecret() };
    await expectCellOutcome(cell, c);
  });
});

describe("webhooks: the functions", () => {
  let owner: TestUser;
  let orgId: string;

  beforeAll(async () => {
    owner = await signUpUser("Webhook Owner");
    orgId = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
  });

  const create = (org: string, url = newUrl(), eventTypes = ["job.completed"]) =>
    owner.client.rpc("create_webhook_endpoint", { p_org_id: org, p_url: url, p_description: "", p_event_types: eventTypes, p_secret: newSecret() });

  it("create_webhook_endpoint refuses a 21st endpoint (23514 webhook_endpoint_limit); the service role is not limited", async () => {
    const team = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
    for (let i = 0; i < 19; i += 1) await insertEndpoint(team);
    const twentieth = await create(team);
    expect(twentieth.error).toBeNull();
    const over = await create(team);
    expect(refusal(over.error)).toEqual({ code: "23514", hint: "webhook_endpoint_limit" });
    expect((await service().from("webhook_endpoints").select("id", { count: "exact", head: true }).eq("org_id", team)).count).toBe(20);
    await insertEndpoint(team);
    expect((await service().from("webhook_endpoints").select("id", { count: "exact", head: true }).eq("org_id", team)).count).toBe(21);
    // Outside one's organisations it says nothing more than "not found".
    expect(refusal((await create(randomUUID())).error)).toEqual({ code: "42501", hint: "not_found" });
  });

  it("rotate_webhook_secret keeps exactly one previous secret, for 24 hours", async () => {
    const { data: created, error } = await create(orgId);
    expect(error).toBeNull();
    const endpointId = created!.id;
    const [first] = await secretsOf(endpointId);
    const second = newSecret();
    const third = newSecret();
    const rotated = await owner.client.rpc("rotate_webhook_secret", { p_endpoint_id: endpointId, p_secret: second });
    expect(rotated.error).toBeNull();
    const dayAhead = Date.now() + 24 * 3600_000;
    expect(Math.abs(Date.parse(rotated.data!) - dayAhead)).toBeLessThan(60_000);
    const afterFirst = await secretsOf(endpointId);
    expect(afterFirst).toHaveLength(2);
    expect(afterFirst.find((s) => s.secret === second)?.expires_at).toBeNull();
    expect(Date.parse(afterFirst.find((s) => s.secret === first!.secret)?.expires_at ?? "")).toBe(Date.parse(rotated.data!));

    const again = await owner.client.rpc("rotate_webhook_secret", { p_endpoint_id: endpointId, p_secret: third });
    expect(again.error).toBeNull();
    const secrets = await secretsOf(endpointId);
    expect(secrets.map((s) => s.secret).sort()).toEqual([second, third].sort());
    expect(secrets.find((s) => s.secret === third)?.expires_at).toBeNull();
    const previous = secrets.find((s) => s.secret === second)?.expires_at;
    expect(Date.parse(previous ?? "")).toBe(Date.parse(again.data!));
    expect(Math.abs(Date.parse(previous ?? "") - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);
  });

  it("create_test_webhook_message makes a webhook.test message, for a disabled endpoint too", async () => {
    const { endpointId } = await insertEndpoint(orgId, { enabled: false });
    const { data, error } = await owner.client.rpc("create_test_webhook_message", { p_endpoint_id: endpointId, p_payload: { test: true, endpointId } });
    expect(error).toBeNull();
    expect(data).toEqual([{ message_id: expect.any(String), endpoint_id: endpointId, org_id: orgId, replays: 0 }]);
    const made = await message(data![0]!.message_id);
    expect(made).toMatchObject({ event_type: "webhook.test", status: "pending", payload: { test: true, endpointId } });
  });

  it("enqueue_webhook_messages makes one message per enabled, subscribed endpoint of the organisation, once per dedupe key", async () => {
    const team = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
    const subscribed = await insertEndpoint(team, { event_types: ["job.completed"] });
    await insertEndpoint(team, { event_types: ["job.failed"] });
    await insertEndpoint(team, { event_types: ["job.completed"], enabled: false });
    // Another organisation's endpoint, subscribed to the same type.
    const other = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
    await insertEndpoint(other, { event_types: ["job.completed"] });

    const key = `job.completed:${randomUUID()}`;
    const enqueue = () => service().rpc("enqueue_webhook_messages", { p_org_id: team, p_event_type: "job.completed", p_payload: { job: { id: "x" } }, p_dedupe_key: key });
    const first = await enqueue();
    expect(first.error).toBeNull();
    expect(first.data).toEqual([{ message_id: expect.any(String), endpoint_id: subscribed.endpointId, replays: 0 }]);
    // Again (a retried fan-out): the pending message again, and no new one.
    const second = await enqueue();
    expect(second.data).toEqual(first.data);
    const made = (await service().from("webhook_messages").select("id, endpoint_id").eq("dedupe_key", key)).data;
    expect(made).toEqual([{ id: first.data![0]!.message_id, endpoint_id: subscribed.endpointId }]);
    // Once it is under way, raising the event again sends nothing.
    await service().from("webhook_messages").update({ status: "delivered" }).eq("id", first.data![0]!.message_id);
    expect((await enqueue()).data).toEqual([]);
    expect((await service().from("webhook_messages").select("id").eq("dedupe_key", key)).data).toHaveLength(1);
  });

  it("record_webhook_attempt numbers attempts across replays and keeps the message and endpoint up to date", async () => {
    const { endpointId } = await insertEndpoint(orgId);
    const messageId = await insertMessage(orgId, endpointId);
    const record = (outcome: "delivered" | "retry" | "failed") => service().rpc("record_webhook_attempt", attemptArgs(messageId, outcome));

    expect((await record("retry")).data).toEqual([{ attempt: 1, endpoint_disabled: false }]);
    expect(await message(messageId)).toMatchObject({ status: "retrying", attempts: 1, last_status_code: 503, next_attempt_at: expect.any(String) });
    expect((await endpoint(endpointId))?.failing_since).not.toBeNull();
    expect((await record("failed")).data).toEqual([{ attempt: 2, endpoint_disabled: false }]);
    expect(await message(messageId)).toMatchObject({ status: "failed", attempts: 2, next_attempt_at: null });

    const replay = await owner.client.rpc("replay_webhook_messages", { p_endpoint_id: endpointId, p_message_id: messageId });
    expect(replay.data).toEqual([{ message_id: messageId, endpoint_id: endpointId, org_id: orgId, replays: 1 }]);
    expect((await record("delivered")).data).toEqual([{ attempt: 3, endpoint_disabled: false }]);
    expect(await message(messageId)).toMatchObject({ status: "delivered", attempts: 3, replays: 1, delivered_at: expect.any(String) });
    expect(await endpoint(endpointId)).toMatchObject({ failing_since: null, last_delivered_at: expect.any(String) });
    const attempts = (await service().from("webhook_attempts").select("attempt, outcome").eq("message_id", messageId).order("attempt")).data;
    expect(attempts).toEqual([
      { attempt: 1, outcome: "retry" },
      { attempt: 2, outcome: "failed" },
      { attempt: 3, outcome: "delivered" },
    ]);
  });

  it("record_webhook_attempt turns an endpoint off once it has failed for webhook_disable_after(), and says so once", async () => {
    const { data: after } = await service().rpc("webhook_disable_after");
    expect(after).toMatch(/^5 days$/);
    const { endpointId } = await insertEndpoint(orgId);
    const messageId = await insertMessage(orgId, endpointId);
    const fail = () => service().rpc("record_webhook_attempt", attemptArgs(messageId, "retry"));

    // Failing for less than that: still on.
    await service().from("webhook_endpoints").update({ failing_since: new Date(Date.now() - 4 * 86_400_000).toISOString() }).eq("id", endpointId);
    expect((await fail()).data).toEqual([{ attempt: 1, endpoint_disabled: false }]);
    expect((await endpoint(endpointId))?.enabled).toBe(true);

    await service().from("webhook_endpoints").update({ failing_since: new Date(Date.now() - 5 * 86_400_000 - 60_000).toISOString() }).eq("id", endpointId);
    expect((await fail()).data).toEqual([{ attempt: 2, endpoint_disabled: true }]);
    expect(await endpoint(endpointId)).toMatchObject({ enabled: false, disabled_reason: "failing", disabled_at: expect.any(String) });
    expect((await fail()).data).toEqual([{ attempt: 3, endpoint_disabled: false }]);

    // Turned on again, it starts with a clean record.
    await owner.client.from("webhook_endpoints").update({ enabled: true }).eq("id", endpointId);
    expect(await endpoint(endpointId)).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
  });

  it("skip_webhook_message skips a pending or retrying message and leaves an ended one", async () => {
    const { endpointId } = await insertEndpoint(orgId);
    const pending = await insertMessage(orgId, endpointId);
    const delivered = await insertMessage(orgId, endpointId, { status: "delivered" });
    for (const id of [pending, delivered]) {
      expect((await service().rpc("skip_webhook_message", { p_message_id: id, p_reason: "endpoint deleted" })).error).toBeNull();
    }
    expect(await message(pending)).toMatchObject({ status: "skipped", last_error: "endpoint deleted" });
    expect(await message(delivered)).toMatchObject({ status: "delivered", last_error: null });
  });

  it("replay_webhook_messages replays failed and skipped messages since a time, not delivered ones, and wants one of message and time", async () => {
    const { endpointId } = await insertEndpoint(orgId);
    const old = await insertMessage(orgId, endpointId, { status: "failed", created_at: new Date(Date.now() - 3600_000).toISOString() });
    const failed = await insertMessage(orgId, endpointId, { status: "failed" });
    const skipped = await insertMessage(orgId, endpointId, { status: "skipped" });
    const delivered = await insertMessage(orgId, endpointId, { status: "delivered" });
    const since = new Date(Date.now() - 600_000).toISOString();
    const { data, error } = await owner.client.rpc("replay_webhook_messages", { p_endpoint_id: endpointId, p_since: since });
    expect(error).toBeNull();
    expect(data?.map((m) => m.message_id).sort()).toEqual([failed, skipped].sort());
    expect(await message(old)).toMatchObject({ status: "failed", replays: 0 });
    expect(await message(delivered)).toMatchObject({ status: "delivered", replays: 0 });
    expect(await message(failed)).toMatchObject({ status: "pending", replays: 1 });

    const neither = await owner.client.rpc("replay_webhook_messages", { p_endpoint_id: endpointId });
    expect(neither.error?.code).toBe("22023");
    const both = await owner.client.rpc("replay_webhook_messages", { p_endpoint_id: endpointId, p_message_id: old, p_since: since });
    expect(both.error?.code).toBe("22023");
  });
});

describe("report callbacks: an endpoint of one job's, kept from the organisation's admins", () => {
  let owner: TestUser;
  let admin: TestUser;
  let orgId: string;

  beforeAll(async () => {
    [owner, admin] = await Promise.all([signUpUser("Callback Owner"), signUpUser("Callback Admin")]);
    orgId = await createTeamOrg([
      { userId: owner.id, role: "owner" },
      { userId: admin.id, role: "admin" },
    ]);
  });

  /** A job of the owner's with a callback, as enqueue_report makes one. */
  async function jobWithCallback(org = orgId) {
    const { data: job, error } = await service().from("jobs").insert({ org_id: org, user_id: owner.id, type: "report", status: "processing", payload: {} }).select("id").single();
    if (error) throw new Error(`could not add the job: ${error.message}`);
    const callback = await insertEndpoint(org, { job_id: job.id, event_types: ["report.ready", "job.failed", "job.cancelled"] });
    return { jobId: job.id, ...callback };
  }

  it("is neither read, changed, deleted, rotated, tested nor replayed by the organisation's owners and admins", async () => {
    const { endpointId } = await jobWithCallback();
    const before = [await endpoint(endpointId), await secretsOf(endpointId)];
    for (const user of [owner, admin]) {
      expect((await user.client.from("webhook_endpoints").select("id").eq("id", endpointId)).data).toEqual([]);
      expect((await user.client.from("webhook_endpoints").update({ enabled: false }).eq("id", endpointId).select("id")).data).toEqual([]);
      expect((await user.client.from("webhook_endpoints").delete().eq("id", endpointId).select("id")).data).toEqual([]);
      for (const call of [
        user.client.rpc("rotate_webhook_secret", { p_endpoint_id: endpointId, p_secret: newSecret() }),
        user.client.rpc("create_test_webhook_message", { p_endpoint_id: endpointId, p_payload: {} }),
        user.client.rpc("replay_webhook_messages", { p_endpoint_id: endpointId, p_since: new Date(0).toISOString() }),
      ]) {
        expect(refusal((await call).error)).toEqual({ code: "P0002", hint: "not_found" });
      }
    }
    expect([await endpoint(endpointId), await secretsOf(endpointId)]).toEqual(before);
  });

  it("keeps its messages and attempts from them too, while they read the organisation's own", async () => {
    const { endpointId } = await jobWithCallback();
    const callbackMessage = await insertMessage(orgId, endpointId, { event_type: "report.ready" });
    const own = await insertEndpoint(orgId);
    const ownMessage = await insertMessage(orgId, own.endpointId);
    for (const id of [callbackMessage, ownMessage]) {
      expect((await service().rpc("record_webhook_attempt", attemptArgs(id, "delivered"))).error).toBeNull();
    }
    for (const user of [owner, admin]) {
      const messages = await user.client.from("webhook_messages").select("id").in("id", [callbackMessage, ownMessage]);
      expect(messages.data).toEqual([{ id: ownMessage }]);
      const attempts = await user.client.from("webhook_attempts").select("message_id").in("message_id", [callbackMessage, ownMessage]);
      expect(attempts.data).toEqual([{ message_id: ownMessage }]);
    }
  });

  it("doesn't count towards the organisation's 20 endpoints", async () => {
    const team = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
    for (let i = 0; i < 3; i += 1) await jobWithCallback(team);
    for (let i = 0; i < 19; i += 1) await insertEndpoint(team);
    const create = () =>
      owner.client.rpc("create_webhook_endpoint", { p_org_id: team, p_url: newUrl(), p_description: "", p_event_types: ["job.completed"], p_secret: newSecret() });
    expect((await create()).error).toBeNull();
    expect(refusal((await create()).error)).toEqual({ code: "23514", hint: "webhook_endpoint_limit" });
  });

  it("gets its own job's events beside the organisation's endpoints, and no other job's", async () => {
    const team = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
    const mine = await jobWithCallback(team);
    const another = await jobWithCallback(team);
    const organisations = await insertEndpoint(team, { event_types: ["report.ready"] });
    const { data, error } = await service().rpc("enqueue_webhook_messages", {
      p_org_id: team,
      p_event_type: "report.ready",
      p_payload: {},
      p_dedupe_key: `report.ready:${mine.jobId}`,
      p_job_id: mine.jobId,
    });
    expect(error).toBeNull();
    expect(data!.map((m) => m.endpoint_id).sort()).toEqual([mine.endpointId, organisations.endpointId].sort());
    expect(data!.map((m) => m.endpoint_id)).not.toContain(another.endpointId);
    // Without a job, only the organisation's endpoints.
    const unowned = await service().rpc("enqueue_webhook_messages", { p_org_id: team, p_event_type: "report.ready", p_payload: {}, p_dedupe_key: `test:${randomUUID()}` });
    expect(unowned.data!.map((m) => m.endpoint_id)).toEqual([organisations.endpointId]);
  });

  it("is never turned off for failing: its retries end long before", async () => {
    const { endpointId } = await jobWithCallback();
    const messageId = await insertMessage(orgId, endpointId, { event_type: "report.ready" });
    await service().from("webhook_endpoints").update({ failing_since: new Date(Date.now() - 6 * 86_400_000).toISOString() }).eq("id", endpointId);
    expect((await service().rpc("record_webhook_attempt", attemptArgs(messageId, "retry"))).data).toEqual([{ attempt: 1, endpoint_disabled: false }]);
    expect((await endpoint(endpointId))?.enabled).toBe(true);
  });

  it("goes with its job, with its secret and messages, one job or many at once", async () => {
    const team = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
    const callbacks = await Promise.all([jobWithCallback(team), jobWithCallback(team), jobWithCallback(team)]);
    const kept = await insertEndpoint(team);
    const messageId = await insertMessage(team, callbacks[0]!.endpointId, { event_type: "report.ready" });
    expect((await service().from("jobs").delete().eq("id", callbacks[0]!.jobId)).error).toBeNull();
    expect(await endpoint(callbacks[0]!.endpointId)).toBeNull();
    expect(await secretsOf(callbacks[0]!.endpointId)).toEqual([]);
    expect(await message(messageId)).toBeNull();
    expect(await endpoint(callbacks[1]!.endpointId)).not.toBeNull();
    const rest = callbacks.slice(1).map((c) => c.jobId);
    expect((await service().from("jobs").delete().in("id", rest)).error).toBeNull();
    for (const c of callbacks) expect(await endpoint(c.endpointId)).toBeNull();
    expect(await endpoint(kept.endpointId)).not.toBeNull();
  });
});

describe("notifications: the triggers", () => {
  let owner: TestUser;
  let invitee: TestUser;
  let orgId: string;

  beforeAll(async () => {
    [owner, invitee] = await Promise.all([signUpUser("Inviter"), signUpUser("Invitee")]);
    orgId = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
  });

  it("a report that completes or fails notifies its user once, however often its end is written", async () => {
    const completed = await endedJob(orgId, owner.id, "report", "completed");
    expect(await notificationsOf({ jobId: completed })).toEqual([expect.objectContaining({ user_id: owner.id, kind: "job.completed", read_at: null })]);
    // Written again (a duplicate delivery): still one.
    expect((await service().from("jobs").update({ status: "completed", progress: 100 }).eq("id", completed)).error).toBeNull();
    expect(await notificationsOf({ jobId: completed })).toHaveLength(1);

    const failed = await endedJob(orgId, owner.id, "report", "failed");
    expect(await notificationsOf({ jobId: failed })).toEqual([expect.objectContaining({ user_id: owner.id, kind: "job.failed" })]);
  });

  it("makes none for a welcome email, a cancelled report, a sent invitation or a job of nobody's", async () => {
    const none = [
      await endedJob(orgId, owner.id, "welcome-email", "completed"),
      await endedJob(orgId, owner.id, "welcome-email", "failed"),
      await endedJob(orgId, owner.id, "report", "cancelled"),
      await endedJob(orgId, owner.id, "team-invitation", "completed"),
      await endedJob(orgId, owner.id, "send-digest", "failed"),
      await endedJob(orgId, null, "report", "completed"),
    ];
    for (const jobId of none) expect(await notificationsOf({ jobId })).toEqual([]);
  });

  it("an invitation email that fails notifies the inviter", async () => {
    const jobId = await endedJob(orgId, owner.id, "team-invitation", "failed", { invitationId: randomUUID() });
    expect(await notificationsOf({ jobId })).toEqual([expect.objectContaining({ user_id: owner.id, kind: "job.failed" })]);
  });

  it("an invitation to an existing user's address notifies them; inviting again makes it unread; accepting removes it", async () => {
    const { id, token } = await invite(orgId, invitee.email, "admin");
    const [made] = await notificationsOf({ invitationId: id });
    expect(made).toMatchObject({ user_id: invitee.id, kind: "invitation.received", read_at: null });
    // The invitee reads it…
    expect((await invitee.client.from("notifications").update({ read_at: new Date().toISOString() }).eq("id", made!.id).select("id")).data).toHaveLength(1);
    expect((await notification(made!.id))?.read_at).not.toBeNull();
    // …and is invited again (a new token): unread again, and newest.
    const renewed = invitationToken();
    expect((await service().from("invitations").update({ token_nonce: renewed.nonce, token_hash: renewed.hash }).eq("id", id)).error).toBeNull();
    const again = await notificationsOf({ invitationId: id });
    expect(again).toEqual([expect.objectContaining({ id: made!.id, read_at: null })]);
    expect(Date.parse(again[0]!.created_at)).toBeGreaterThanOrEqual(Date.parse(made!.created_at));
    expect(again[0]!.created_at).not.toBe(made!.created_at);

    // The old token no longer works; the new one joins, and the notification has done its work.
    expect((await invitee.client.rpc("accept_invitation", { p_token: token })).error).not.toBeNull();
    expect((await invitee.client.rpc("accept_invitation", { p_token: renewed.token })).error).toBeNull();
    expect(await notificationsOf({ invitationId: id })).toEqual([]);
  });

  it("an invitation to an address nobody has makes none", async () => {
    const { id } = await invite(orgId, randomEmail());
    expect(await notificationsOf({ invitationId: id })).toEqual([]);
  });
});
