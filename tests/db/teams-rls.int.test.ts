import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "../support/sql";
import { anonClient, createTeamOrg, serviceClient, signUpUser, type Client, type TestUser } from "../support/supabase";
import { chooseOrg, currentOrgOf, invitationById, invitationRow, invitationToken, invite, randomEmail, randomSlug, refusal, roleOf } from "./teams-support";
import { A, ACTORS, NA, R, expectCellOutcome, type Actor, type Answer, type Expected } from "./rls-matrix";

/**
 * The teams migration's access model, cell by cell, through supabase-js as each kind of
 * caller: for every new or changed table and operation, who may (the write took effect)
 * and who may not (an error or no row affected, and the row unchanged, read back with the
 * service role). Roles as the migration's header has them: owners do everything; admins
 * rename, invite, remove and change the roles of members and admins (never owners);
 * members read and leave; another team's owner is a stranger here; anon has nothing; the
 * service role (the server's secret key) has everything the constraints allow. Then
 * accept_invitation, the one way into a team, case by case.
 */

/** A fresh team per cell, so each write starts from the same state. */
type Team = { orgId: string; memberInvitationId: string; ownerInvitationId: string };

type Users = Record<"owner" | "coOwner" | "admin" | "member" | "member2" | "joiner" | "otherOwner", TestUser>;


type Context = {
  db: Client;
  team: Team;
  /** The other owner's team, which nobody else here is in. */
  otherTeam: string;
  users: Users;
  actor: Actor;
  self: TestUser | null;
  /** Fresh values for the cell's write: a slug, a name, a token. */
  slug: string;
  name: string;
  newToken: ReturnType<typeof invitationToken>;
  /** What a cell's prepare made for its act: another team, an invitation's token. */
  scratch: { orgId?: string; token?: string };
};

type Row = {
  subject: string;
  op: "select" | "insert" | "update" | "delete" | "execute";
  expected: Record<Actor, Expected>;
  prepare?: (c: Context) => Promise<void>;
  act: (c: Context) => PromiseLike<{ error: { code: string; hint: string; message: string } | null; data: unknown }>;
  /** Whether the operation took effect (a read answered the row; a write changed it). */
  tookEffect: (c: Context, answer: Answer) => Promise<boolean> | boolean;
};

type Cells = [anon: Expected, member: Expected, admin: Expected, owner: Expected, otherOwner: Expected, service: Expected];

const row = (subject: string, op: Row["op"], cells: Cells, spec: Pick<Row, "act" | "tookEffect" | "prepare">): Row => {
  const [anon, member, admin, owner, otherOwner, service] = cells;
  return { subject, op, expected: { anon, member, admin, owner, otherOwner, service }, ...spec };
};

const returned = (answer: Answer, id: string, key = "id") =>
  answer.rows.some((r) => typeof r === "object" && r !== null && (r as Record<string, unknown>)[key] === id);

const service = () => serviceClient();

async function orgName(orgId: string) {
  const { data } = await service().from("organisations").select("name").eq("id", orgId).maybeSingle();
  return data?.name ?? null;
}

async function invitation(id: string) {
  const { data } = await service().from("invitations").select("role, token_hash").eq("id", id).maybeSingle();
  return data;
}

/** The actor's own user, or (for anon and the service role, who have none) the member's. */
const selfOrMember = (c: Context) => c.self ?? c.users.member;

/** A function's answer as rows: one when it says yes (true, an id), none when it says no (false, null). */
const yes = async (call: PromiseLike<{ error: { code: string; hint: string; message: string } | null; data: unknown }>) => {
  const { error, data } = await call;
  return { error, data: data === false || data === null ? null : data };
};

/** An invitation to a new team (owned by the joiner), for `email`. */
async function inviteToNewTeam(c: Context, email: string) {
  const orgId = await createTeamOrg([{ userId: c.users.joiner.id, role: "owner" }]);
  c.scratch.orgId = orgId;
  c.scratch.token = (await invite(orgId, email)).token;
}

// The matrix. Columns: anon, member, admin, owner, another team's owner, service role.
const MATRIX: Row[] = [
  // organisations: reading is the foundation's; update and delete are new.
  row("organisations: read the team", "select", [R, A, A, A, R, A], {
    act: (c) => c.db.from("organisations").select("id").eq("id", c.team.orgId),
    tookEffect: (c, answer) => returned(answer, c.team.orgId),
  }),
  row("organisations: create a team row directly (teams are made by create_team)", "insert", [R, R, R, R, R, A], {
    act: (c) => c.db.from("organisations").insert({ name: c.name, slug: c.slug }).select("id"),
    tookEffect: async (c) => (await service().from("organisations").select("id").eq("slug", c.slug)).data?.length === 1,
  }),
  row("organisations: rename the team", "update", [R, R, A, A, R, A], {
    act: (c) => c.db.from("organisations").update({ name: c.name }).eq("id", c.team.orgId).select("id"),
    tookEffect: async (c) => (await orgName(c.team.orgId)) === c.name,
  }),
  row("organisations: change the team's slug", "update", [R, R, A, A, R, A], {
    act: (c) => c.db.from("organisations").update({ slug: c.slug }).eq("id", c.team.orgId).select("id"),
    tookEffect: async (c) => (await service().from("organisations").select("slug").eq("id", c.team.orgId).single()).data?.slug === c.slug,
  }),
  row("organisations: change the team's plan (billing is the server's)", "update", [R, R, R, R, R, A], {
    act: (c) => c.db.from("organisations").update({ plan: "pro" }).eq("id", c.team.orgId).select("id"),
    tookEffect: async (c) => (await service().from("organisations").select("plan").eq("id", c.team.orgId).single()).data?.plan === "pro",
  }),
  row("organisations: delete the team", "delete", [R, R, R, A, R, A], {
    act: (c) => c.db.from("organisations").delete().eq("id", c.team.orgId).select("id"),
    tookEffect: async (c) => (await orgName(c.team.orgId)) === null,
  }),

  // memberships: reading is the foundation's; role changes, removal and leaving are new.
  row("memberships: read the team's members", "select", [R, A, A, A, R, A], {
    act: (c) => c.db.from("memberships").select("user_id").eq("org_id", c.team.orgId),
    tookEffect: (c, answer) => returned(answer, c.users.member2.id, "user_id"),
  }),
  row("memberships: add someone to the team (joining is accept_invitation's)", "insert", [R, R, R, R, R, A], {
    act: (c) => c.db.from("memberships").insert({ org_id: c.team.orgId, user_id: c.users.joiner.id, role: "member" }).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, c.users.joiner.id)) === "member",
  }),
  row("memberships: make a member an admin", "update", [R, R, A, A, R, A], {
    act: (c) => c.db.from("memberships").update({ role: "admin" }).eq("org_id", c.team.orgId).eq("user_id", c.users.member2.id).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, c.users.member2.id)) === "admin",
  }),
  row("memberships: make a member an owner", "update", [R, R, R, A, R, A], {
    act: (c) => c.db.from("memberships").update({ role: "owner" }).eq("org_id", c.team.orgId).eq("user_id", c.users.member2.id).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, c.users.member2.id)) === "owner",
  }),
  row("memberships: demote a co-owner", "update", [R, R, R, A, R, A], {
    act: (c) => c.db.from("memberships").update({ role: "member" }).eq("org_id", c.team.orgId).eq("user_id", c.users.coOwner.id).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, c.users.coOwner.id)) === "member",
  }),
  row("memberships: promote oneself to owner (anon, service: the member)", "update", [R, R, R, NA, R, A], {
    act: (c) => c.db.from("memberships").update({ role: "owner" }).eq("org_id", c.team.orgId).eq("user_id", selfOrMember(c).id).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, selfOrMember(c).id)) === "owner",
  }),
  row("memberships: remove a member", "delete", [R, R, A, A, R, A], {
    act: (c) => c.db.from("memberships").delete().eq("org_id", c.team.orgId).eq("user_id", c.users.member2.id).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, c.users.member2.id)) === null,
  }),
  row("memberships: remove a co-owner", "delete", [R, R, R, A, R, A], {
    act: (c) => c.db.from("memberships").delete().eq("org_id", c.team.orgId).eq("user_id", c.users.coOwner.id).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, c.users.coOwner.id)) === null,
  }),
  // Another team's owner has no membership here to leave.
  row("memberships: leave the team (anon, service: the member's row)", "delete", [R, A, A, A, NA, A], {
    act: (c) => c.db.from("memberships").delete().eq("org_id", c.team.orgId).eq("user_id", selfOrMember(c).id).select("user_id"),
    tookEffect: async (c) => (await roleOf(c.team.orgId, selfOrMember(c).id)) === null,
  }),

  // invitations: new. Admins manage every invitation but an owner's.
  row("invitations: read a pending invitation", "select", [R, R, A, A, R, A], {
    act: (c) => c.db.from("invitations").select("id").eq("id", c.team.memberInvitationId),
    tookEffect: (c, answer) => returned(answer, c.team.memberInvitationId),
  }),
  row("invitations: invite someone as a member", "insert", [R, R, A, A, R, A], {
    act: (c) => c.db.from("invitations").insert(invitationRow(c.team.orgId, c.slug + "@example.com").row).select("id"),
    tookEffect: async (c) => (await service().from("invitations").select("id").eq("email", c.slug + "@example.com")).data?.length === 1,
  }),
  row("invitations: invite someone as an owner", "insert", [R, R, R, A, R, A], {
    act: (c) => c.db.from("invitations").insert(invitationRow(c.team.orgId, c.slug + "@example.com", "owner").row).select("id"),
    tookEffect: async (c) => (await service().from("invitations").select("id").eq("email", c.slug + "@example.com")).data?.length === 1,
  }),
  row("invitations: re-send a member's invitation (new token)", "update", [R, R, A, A, R, A], {
    act: (c) => c.db.from("invitations").update({ token_nonce: c.newToken.nonce, token_hash: c.newToken.hash }).eq("id", c.team.memberInvitationId).select("id"),
    tookEffect: async (c) => (await invitation(c.team.memberInvitationId))?.token_hash === c.newToken.hash,
  }),
  row("invitations: re-send an owner's invitation (new token)", "update", [R, R, R, A, R, A], {
    act: (c) => c.db.from("invitations").update({ token_nonce: c.newToken.nonce, token_hash: c.newToken.hash }).eq("id", c.team.ownerInvitationId).select("id"),
    tookEffect: async (c) => (await invitation(c.team.ownerInvitationId))?.token_hash === c.newToken.hash,
  }),
  row("invitations: turn a member's invitation into an owner's", "update", [R, R, R, A, R, A], {
    act: (c) => c.db.from("invitations").update({ role: "owner" }).eq("id", c.team.memberInvitationId).select("id"),
    tookEffect: async (c) => (await invitation(c.team.memberInvitationId))?.role === "owner",
  }),
  row("invitations: revoke a member's invitation", "delete", [R, R, A, A, R, A], {
    act: (c) => c.db.from("invitations").delete().eq("id", c.team.memberInvitationId).select("id"),
    tookEffect: async (c) => (await invitation(c.team.memberInvitationId)) === null,
  }),
  row("invitations: revoke an owner's invitation", "delete", [R, R, R, A, R, A], {
    act: (c) => c.db.from("invitations").delete().eq("id", c.team.ownerInvitationId).select("id"),
    tookEffect: async (c) => (await invitation(c.team.ownerInvitationId)) === null,
  }),

  // invitations: the token's material is the server's alone.
  row("invitations: read an invitation's token hash and nonce", "select", [R, R, R, R, R, A], {
    act: (c) => c.db.from("invitations").select("id, token_hash, token_nonce").eq("id", c.team.memberInvitationId),
    tookEffect: (c, answer) => returned(answer, c.team.memberInvitationId),
  }),
  row("invitations: read every column of an invitation (select *)", "select", [R, R, R, R, R, A], {
    act: (c) => c.db.from("invitations").select("*").eq("id", c.team.memberInvitationId),
    tookEffect: (c, answer) => returned(answer, c.team.memberInvitationId),
  }),

  // current_organisations: new, each user's own row only (anon, service: the member's).
  row("current_organisations: read the member's", "select", [R, A, R, R, R, A], {
    prepare: async (c) => {
      const { error } = await chooseOrg(service(), c.users.member.id, c.team.orgId);
      if (error) throw new Error(error.message);
    },
    act: (c) => c.db.from("current_organisations").select("user_id, org_id").eq("user_id", c.users.member.id),
    tookEffect: (c, answer) => returned(answer, c.team.orgId, "org_id"),
  }),
  row("current_organisations: choose the team as one's own (anon, service: the member's)", "insert", [R, A, A, A, R, A], {
    act: (c) => chooseOrg(c.db, selfOrMember(c).id, c.team.orgId),
    tookEffect: async (c) => (await currentOrgOf(selfOrMember(c).id)) === c.team.orgId,
  }),
  row("current_organisations: change one's choice to the team (anon, service: the member's)", "update", [R, A, A, A, R, A], {
    prepare: async (c) => {
      const { error } = await chooseOrg(service(), selfOrMember(c).id, selfOrMember(c).orgId);
      if (error) throw new Error(error.message);
    },
    act: (c) => c.db.from("current_organisations").update({ org_id: c.team.orgId }).eq("user_id", selfOrMember(c).id).select("user_id"),
    tookEffect: async (c) => (await currentOrgOf(selfOrMember(c).id)) === c.team.orgId,
  }),
  row("current_organisations: choose another team (the other owner's) as one's own (anon, service: the member's)", "insert", [R, R, R, R, A, R], {
    act: (c) => chooseOrg(c.db, selfOrMember(c).id, c.otherTeam),
    tookEffect: async (c) => (await currentOrgOf(selfOrMember(c).id)) === c.otherTeam,
  }),
  row("current_organisations: choose the team for another member", "insert", [R, R, R, R, R, A], {
    act: (c) => chooseOrg(c.db, c.users.member2.id, c.team.orgId),
    tookEffect: async (c) => (await currentOrgOf(c.users.member2.id)) === c.team.orgId,
  }),
  row("current_organisations: change another member's choice", "update", [R, R, R, R, R, A], {
    prepare: async (c) => {
      const { error } = await chooseOrg(service(), c.users.member2.id, c.users.member2.orgId);
      if (error) throw new Error(error.message);
    },
    act: (c) => c.db.from("current_organisations").update({ org_id: c.team.orgId }).eq("user_id", c.users.member2.id).select("user_id"),
    tookEffect: async (c) => (await currentOrgOf(c.users.member2.id)) === c.team.orgId,
  }),
  row("current_organisations: clear the member's (back to the default)", "delete", [R, A, R, R, R, A], {
    prepare: async (c) => {
      const { error } = await chooseOrg(service(), c.users.member.id, c.team.orgId);
      if (error) throw new Error(error.message);
    },
    act: (c) => c.db.from("current_organisations").delete().eq("user_id", c.users.member.id).select("user_id"),
    tookEffect: async (c) => (await currentOrgOf(c.users.member.id)) === null,
  }),

  // Functions.
  // create_team needs a signed-in creator to become the owner: the service role has none.
  row("create_team", "execute", [R, A, A, A, A, R], {
    act: (c) => c.db.rpc("create_team", { p_name: c.name, p_slug: c.slug }),
    tookEffect: async (c) => {
      const { data } = await service().from("organisations").select("id, memberships(user_id, role)").eq("slug", c.slug).maybeSingle();
      const members = data?.memberships ?? [];
      return members.length === 1 && members.every((m) => m.user_id === c.self?.id && m.role === "owner");
    },
  }),
  row("current_membership (background work's view of a user's organisation)", "execute", [R, R, R, R, R, A], {
    act: (c) => yes(c.db.rpc("current_membership", { p_user_id: c.users.member.id })),
    tookEffect: (_c, answer) => answer.rows.length === 1 && answer.rows[0] !== null,
  }),
  row("acting_org_id (the organisation a user's background work is in)", "execute", [R, R, R, R, R, A], {
    act: (c) => yes(c.db.rpc("acting_org_id", { p_user_id: c.users.member.id })),
    // The member's chosen organisation (other cells choose), else their personal workspace.
    tookEffect: async (c, answer) => answer.rows.length === 1 && answer.rows[0] === ((await currentOrgOf(c.users.member.id)) ?? c.users.member.orgId),
  }),
  // Callers with no role in the team get null: nothing to learn from it.
  row("org_role: one's role in the team", "execute", [R, A, A, A, R, R], {
    act: (c) => yes(c.db.rpc("org_role", { target_org: c.team.orgId })),
    tookEffect: (c, answer) => answer.rows.length === 1 && answer.rows[0] === (c.actor === "member" || c.actor === "admin" || c.actor === "owner" ? c.actor : "none"),
  }),
  row("can_manage_role: whether one may manage an admin in the team", "execute", [R, R, A, A, R, R], {
    act: (c) => yes(c.db.rpc("can_manage_role", { target_org: c.team.orgId, target_role: "admin" })),
    tookEffect: (_c, answer) => answer.rows.length === 1 && answer.rows[0] === true,
  }),
  row("can_manage_role: whether one may manage an owner in the team", "execute", [R, R, R, A, R, R], {
    act: (c) => yes(c.db.rpc("can_manage_role", { target_org: c.team.orgId, target_role: "owner" })),
    tookEffect: (_c, answer) => answer.rows.length === 1 && answer.rows[0] === true,
  }),
  // Joining needs a signed-in user with the invited address: the service role has none.
  row("accept_invitation: one sent to one's own address (anon, service: the member's)", "execute", [R, A, A, A, A, R], {
    prepare: (c) => inviteToNewTeam(c, selfOrMember(c).email),
    act: (c) => yes(c.db.rpc("accept_invitation", { p_token: c.scratch.token ?? "" })),
    tookEffect: async (c) => (await roleOf(c.scratch.orgId ?? "", selfOrMember(c).id)) === "member",
  }),
  row("accept_invitation: one sent to someone else's address", "execute", [R, R, R, R, R, R], {
    prepare: (c) => inviteToNewTeam(c, c.users.member2.email),
    act: (c) => yes(c.db.rpc("accept_invitation", { p_token: c.scratch.token ?? "" })),
    tookEffect: async (c) => {
      const { data } = await service().from("memberships").select("user_id").eq("org_id", c.scratch.orgId ?? "");
      return (data ?? []).length > 1;
    },
  }),
];

const CELLS = MATRIX.flatMap((r) =>
  ACTORS.filter((actor) => r.expected[actor] !== NA).map((actor) => ({ ...r, actor, outcome: r.expected[actor] })),
);

describe("teams: row-level security matrix", () => {
  let users: Users;
  let otherTeam: string;

  beforeAll(async () => {
    const [owner, coOwner, admin, member, member2, joiner, otherOwner] = await Promise.all([
      signUpUser("Owner"),
      signUpUser("Co-owner"),
      signUpUser("Admin"),
      signUpUser("Member"),
      signUpUser("Member Two"),
      signUpUser("Joiner"),
      signUpUser("Other Owner"),
    ]);
    users = { owner, coOwner, admin, member, member2, joiner, otherOwner };
    // The stranger owns a team of their own.
    otherTeam = await createTeamOrg([{ userId: otherOwner.id, role: "owner" }]);
  });

  // One cell's team at a time: the owner would otherwise own hundreds, beyond the 20 an
  // account may own (create_team's team_limit), which its own cell checks.
  let previousTeam: string | null = null;

  async function freshTeam(): Promise<Team> {
    if (previousTeam) {
      const { error } = await service().from("organisations").delete().eq("id", previousTeam);
      if (error) throw new Error(`could not clear the last cell's team: ${error.message}`);
    }
    const orgId = await createTeamOrg([
      { userId: users.owner.id, role: "owner" },
      { userId: users.coOwner.id, role: "owner" },
      { userId: users.admin.id, role: "admin" },
      { userId: users.member.id, role: "member" },
      { userId: users.member2.id, role: "member" },
    ]);
    const memberInvitation = invitationRow(orgId, randomEmail(), "member").row;
    const ownerInvitation = invitationRow(orgId, randomEmail(), "owner").row;
    const { error } = await service().from("invitations").insert([memberInvitation, ownerInvitation]);
    if (error) throw new Error(`could not invite: ${error.message}`);
    previousTeam = orgId;
    return { orgId, memberInvitationId: memberInvitation.id, ownerInvitationId: ownerInvitation.id };
  }

  function as(actor: Actor): { db: Client; self: TestUser | null } {
    if (actor === "anon") return { db: anonClient(), self: null };
    if (actor === "service") return { db: service(), self: null };
    return { db: users[actor].client, self: users[actor] };
  }

  // Every function the migration adds that an API role may call has its execute row, so
  // a new one can't go untested. (Which ones: the database's grants, not a list here.)
  it("has an execute row for every new function an API role can call", async () => {
    const migration = await readFile(path.resolve(import.meta.dirname, "../../supabase/migrations/20261202030000_teams.sql"), "utf8");
    const created = [...migration.matchAll(/^create function public\.(\w+)\(/gm)].map((match) => match[1]);
    expect(created.length).toBeGreaterThan(0);
    const rows = await sql(
      `select distinct p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        cross join (values ('anon'), ('authenticated'), ('service_role')) r(role)
        where n.nspname = 'public' and p.proname = any($1::text[]) and has_function_privilege(r.role, p.oid, 'execute')
        order by 1`,
      [created],
    );
    const callable = rows.map((r) => (r as { name: string }).name);
    expect(callable).toContain("accept_invitation");
    const withRows = new Set(MATRIX.filter((r) => r.op === "execute").map((r) => r.subject.split(/[ :]/)[0]));
    expect(callable.filter((name) => !withRows.has(name))).toEqual([]);
  });

  it.each(CELLS)("$subject ($op) as $actor: $outcome", async (cell) => {
    const team = await freshTeam();
    const { db, self } = as(cell.actor);
    const c: Context = {
      db,
      team,
      otherTeam,
      users,
      actor: cell.actor,
      self,
      slug: randomSlug("cell"),
      name: `Renamed ${randomUUID()}`,
      newToken: invitationToken(),
      scratch: {},
    };
    await expectCellOutcome(cell, c);
  });
});

// PostgreSQL checks an INSERT's row-level security after BEFORE triggers: a trigger that
// looked at the team first (who is in it, whether it is personal) would answer a caller
// the policy refuses, and tell them. Whatever the team and address, such a caller gets the
// policy's refusal, word for word the same.
describe("teams: trying to invite into a team one may not invite into", () => {
  it("answers a stranger, and a member of the team, the same for a member's address, an unknown one, a personal workspace and no team at all", async () => {
    const [owner, member, teammate, stranger] = await Promise.all([signUpUser("Owner"), signUpUser("Member"), signUpUser("Teammate"), signUpUser("Stranger")]);
    const team = await createTeamOrg([
      { userId: owner.id, role: "owner" },
      { userId: member.id, role: "member" },
      { userId: teammate.id, role: "member" },
    ]);
    const probes: [string, string, string][] = [
      ["a member's address", team, teammate.email],
      ["the owner's address", team, owner.email],
      ["an unknown address", team, randomEmail()],
      ["a personal workspace, another address", owner.orgId, randomEmail()],
      ["a personal workspace, its owner's address", owner.orgId, owner.email],
      ["no such organisation", randomUUID(), randomEmail()],
    ];
    for (const caller of [stranger, member]) {
      const answers = [];
      for (const [what, orgId, email] of probes) {
        const { row } = invitationRow(orgId, email);
        const { error, data } = await caller.client.from("invitations").insert(row).select("id");
        answers.push({ what, data, code: error?.code, hint: error?.hint || null, message: error?.message, details: error?.details || null });
        expect(await invitationById(row.id), what).toBeNull();
      }
      const [first] = answers;
      expect(first).toMatchObject({ data: null, code: "42501", hint: null, message: expect.stringContaining("row-level security") });
      expect(answers).toEqual(answers.map(({ what }) => ({ ...first, what })));
    }
    // Someone who may invite there is told why.
    const own = await owner.client.from("invitations").insert(invitationRow(team, teammate.email).row).select("id");
    expect(refusal(own.error)).toEqual({ code: "23505", hint: "already_member" });
  });
});

describe("teams: accept_invitation", () => {
  let alice: TestUser;
  let carol: TestUser;
  let orgId: string;

  beforeAll(async () => {
    [alice, carol] = await Promise.all([signUpUser("Alice"), signUpUser("Carol")]);
    orgId = await createTeamOrg([{ userId: alice.id, role: "owner" }]);
  });

  it("joins the signed-in invitee with the invitation's role, marks it used and makes the team current", async () => {
    const dave = await signUpUser("Dave");
    const { id, token } = await invite(orgId, dave.email, "admin");
    const { data, error } = await dave.client.rpc("accept_invitation", { p_token: token });
    expect(error).toBeNull();
    expect(data).toBe(orgId);
    expect(await roleOf(orgId, dave.id)).toBe("admin");
    expect(await currentOrgOf(dave.id)).toBe(orgId);
    const used = await invitationById(id);
    expect(used?.accepted_by).toBe(dave.id);
    expect(used?.accepted_at).not.toBeNull();

    // A second click answers the team and changes nothing…
    const again = await dave.client.rpc("accept_invitation", { p_token: token });
    expect(again.error).toBeNull();
    expect(again.data).toBe(orgId);
    expect(await invitationById(id)).toEqual(used);

    // …but once removed from the team, the old link doesn't bring them back.
    expect((await alice.client.from("memberships").delete().eq("org_id", orgId).eq("user_id", dave.id).select()).data).toHaveLength(1);
    const afterRemoval = await dave.client.rpc("accept_invitation", { p_token: token });
    expect(refusal(afterRemoval.error)).toEqual({ code: "23514", hint: "invitation_used" });
    expect(await roleOf(orgId, dave.id)).toBeNull();
  });

  it("refuses another address (42501 invitation_email_mismatch), an expired link (23514 invitation_expired), a used one (23514 invitation_used) and an unknown one (22023 invitation_not_found)", async () => {
    const erin = await signUpUser("Erin");
    const wrong = await invite(orgId, randomEmail());
    const expired = await invite(orgId, erin.email);
    await service().from("invitations").update({ expires_at: new Date(Date.now() - 1000).toISOString() }).eq("id", expired.id);

    const mismatch = await erin.client.rpc("accept_invitation", { p_token: wrong.token });
    expect(refusal(mismatch.error)).toEqual({ code: "42501", hint: "invitation_email_mismatch" });
    const late = await erin.client.rpc("accept_invitation", { p_token: expired.token });
    expect(refusal(late.error)).toEqual({ code: "23514", hint: "invitation_expired" });
    const unknown = await erin.client.rpc("accept_invitation", { p_token: invitationToken().token });
    expect(refusal(unknown.error)).toEqual({ code: "22023", hint: "invitation_not_found" });
    const empty = await erin.client.rpc("accept_invitation", { p_token: "" });
    expect(refusal(empty.error)).toEqual({ code: "22023", hint: "invitation_not_found" });

    // Used: someone else accepted it (here Carol, with her own invitation).
    const carols = await invite(orgId, carol.email);
    expect((await carol.client.rpc("accept_invitation", { p_token: carols.token })).error).toBeNull();
    const used = await erin.client.rpc("accept_invitation", { p_token: carols.token });
    expect(refusal(used.error)).toEqual({ code: "23514", hint: "invitation_used" });

    expect(await roleOf(orgId, erin.id)).toBeNull();
    expect(await currentOrgOf(erin.id)).toBeNull();
    expect((await invitationById(wrong.id))?.accepted_at).toBeNull();
    expect((await invitationById(expired.id))?.accepted_at).toBeNull();
  });

  it("refuses a signed-in user whose address isn't confirmed (42501 email_unconfirmed), until it is", async () => {
    const gail = await signUpUser("Gail");
    const { id, token } = await invite(orgId, gail.email);
    // As with confirmations turned off, or a provider that doesn't vouch for the address.
    await sql("update auth.users set email_confirmed_at = null where id = $1", [gail.id]);
    const unconfirmed = await gail.client.rpc("accept_invitation", { p_token: token });
    expect(refusal(unconfirmed.error)).toEqual({ code: "42501", hint: "email_unconfirmed" });
    expect(await roleOf(orgId, gail.id)).toBeNull();
    expect((await invitationById(id))?.accepted_at).toBeNull();

    await sql("update auth.users set email_confirmed_at = now() where id = $1", [gail.id]);
    expect((await gail.client.rpc("accept_invitation", { p_token: token })).error).toBeNull();
    expect(await roleOf(orgId, gail.id)).toBe("member");
  });

  it("is for signed-in users only", async () => {
    const { id, token } = await invite(orgId, randomEmail());
    const { error } = await anonClient().rpc("accept_invitation", { p_token: token });
    expect(error?.code).toBe("42501");
    expect((await invitationById(id))?.accepted_at).toBeNull();
  });
});
