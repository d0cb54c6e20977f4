import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { anonClient, createTeamOrg, serviceClient, signUpUser, type Client, type TestUser } from "../support/supabase";
import { currentOrgOf, invitationById, invitationRow, invitationToken, invite, randomEmail, randomSlug, refusal, roleOf } from "./teams-support";

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

const ACTORS = ["anon", "member", "admin", "owner", "otherOwner", "service"] as const;
type Actor = (typeof ACTORS)[number];

/** A: allowed, R: refused, –: no such operation for this caller (said why in the row). */
const A = "allowed";
const R = "refused";
const NA = "n/a";
type Expected = typeof A | typeof R | typeof NA;

/** A fresh team per cell, so each write starts from the same state. */
type Team = { orgId: string; memberInvitationId: string; ownerInvitationId: string };

type Users = Record<"owner" | "coOwner" | "admin" | "member" | "member2" | "joiner" | "otherOwner", TestUser>;

/** What a request answered: its error (code and hint) and the rows it returned. */
type Answer = { error: { code: string; hint: string | null; message: string } | null; rows: unknown[] };

type Context = {
  db: Client;
  team: Team;
  users: Users;
  actor: Actor;
  self: TestUser | null;
  /** Fresh values for the cell's write: a slug, a name, a token. */
  slug: string;
  name: string;
  newToken: ReturnType<typeof invitationToken>;
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

  // profiles.current_org_id: new column. Profiles are read by whoever shares an
  // organisation with their user (the foundation's policy), so teammates see the column too.
  row("profiles.current_org_id: read the member's", "select", [R, A, A, A, R, A], {
    prepare: async (c) => {
      const { error } = await service().from("profiles").update({ current_org_id: c.team.orgId }).eq("id", c.users.member.id);
      if (error) throw new Error(error.message);
    },
    act: (c) => c.db.from("profiles").select("id, current_org_id").eq("id", c.users.member.id),
    tookEffect: (c, answer) => returned(answer, c.team.orgId, "current_org_id"),
  }),
  // Profiles are made by sign-up (handle_new_user) only; the column adds no way in.
  row("profiles: insert one with a current organisation", "insert", [R, R, R, R, R, NA], {
    act: (c) => c.db.from("profiles").insert({ id: randomUUID(), email: randomEmail(), current_org_id: c.team.orgId }).select("id"),
    tookEffect: async (c) => ((await service().from("profiles").select("id").eq("current_org_id", c.team.orgId)).data?.length ?? 0) > 0,
  }),
  row("profiles.current_org_id: choose the team as one's own (anon, service: the member's)", "update", [R, A, A, A, R, A], {
    act: (c) => c.db.from("profiles").update({ current_org_id: c.team.orgId }).eq("id", selfOrMember(c).id).select("id"),
    tookEffect: async (c) => (await currentOrgOf(selfOrMember(c).id)) === c.team.orgId,
  }),
  row("profiles.current_org_id: choose the team for another member", "update", [R, R, R, R, R, A], {
    act: (c) => c.db.from("profiles").update({ current_org_id: c.team.orgId }).eq("id", c.users.member2.id).select("id"),
    tookEffect: async (c) => (await currentOrgOf(c.users.member2.id)) === c.team.orgId,
  }),
  // A profile leaves with its user (auth.admin.deleteUser), never on its own.
  row("profiles: delete one's own (anon: the member's)", "delete", [R, R, R, R, R, NA], {
    act: (c) => c.db.from("profiles").delete().eq("id", selfOrMember(c).id).select("id"),
    tookEffect: async (c) => (await service().from("profiles").select("id").eq("id", selfOrMember(c).id)).data?.length === 0,
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
    act: (c) => c.db.rpc("current_membership", { p_user_id: c.users.member.id }),
    tookEffect: (_c, answer) => answer.rows.length === 1 && answer.rows[0] !== null,
  }),
];

const CELLS = MATRIX.flatMap((r) =>
  ACTORS.filter((actor) => r.expected[actor] !== NA).map((actor) => ({ ...r, actor, outcome: r.expected[actor] })),
);

describe("teams: row-level security matrix", () => {
  let users: Users;

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
    await createTeamOrg([{ userId: otherOwner.id, role: "owner" }]);
  });

  async function freshTeam(): Promise<Team> {
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
    return { orgId, memberInvitationId: memberInvitation.id, ownerInvitationId: ownerInvitation.id };
  }

  function as(actor: Actor): { db: Client; self: TestUser | null } {
    if (actor === "anon") return { db: anonClient(), self: null };
    if (actor === "service") return { db: service(), self: null };
    return { db: users[actor].client, self: users[actor] };
  }

  it("covers every caller for every row", () => {
    for (const r of MATRIX) expect(Object.keys(r.expected)).toEqual([...ACTORS]);
  });

  it.each(CELLS)("$subject ($op) as $actor: $outcome", async (cell) => {
    const team = await freshTeam();
    const { db, self } = as(cell.actor);
    const c: Context = { db, team, users, actor: cell.actor, self, slug: randomSlug("cell"), name: `Renamed ${randomUUID()}`, newToken: invitationToken() };
    await cell.prepare?.(c);
    const { error, data } = await cell.act(c);
    const answer: Answer = {
      error: error ? { code: error.code, hint: error.hint ?? null, message: error.message } : null,
      rows: Array.isArray(data) ? data : data === null || data === undefined ? [] : [data],
    };
    const effect = await cell.tookEffect(c, answer);
    if (cell.outcome === A) {
      expect(answer.error).toBeNull();
      expect(effect).toBe(true);
    } else {
      // Refused: either an error, or the policy hid every row (none returned, none changed).
      expect(answer.error !== null || answer.rows.length === 0, JSON.stringify(answer)).toBe(true);
      expect(effect).toBe(false);
    }
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

  it("refuses another address (42501 invitation_email_mismatch), an expired link (23514 invitation_expired), a used one (23514 invitation_used) and an unknown one (P0002 invitation_not_found)", async () => {
    const erin = await signUpUser("Erin");
    const wrong = await invite(orgId, randomEmail());
    const expired = await invite(orgId, erin.email);
    await service().from("invitations").update({ expires_at: new Date(Date.now() - 1000).toISOString() }).eq("id", expired.id);

    const mismatch = await erin.client.rpc("accept_invitation", { p_token: wrong.token });
    expect(refusal(mismatch.error)).toEqual({ code: "42501", hint: "invitation_email_mismatch" });
    const late = await erin.client.rpc("accept_invitation", { p_token: expired.token });
    expect(refusal(late.error)).toEqual({ code: "23514", hint: "invitation_expired" });
    const unknown = await erin.client.rpc("accept_invitation", { p_token: invitationToken().token });
    expect(refusal(unknown.error)).toEqual({ code: "P0002", hint: "invitation_not_found" });
    const empty = await erin.client.rpc("accept_invitation", { p_token: "" });
    expect(refusal(empty.error)).toEqual({ code: "P0002", hint: "invitation_not_found" });

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

  it("is for signed-in users only", async () => {
    const { id, token } = await invite(orgId, randomEmail());
    const { error } = await anonClient().rpc("accept_invitation", { p_token: token });
    expect(error?.code).toBe("42501");
    expect((await invitationById(id))?.accepted_at).toBeNull();
  });
});
