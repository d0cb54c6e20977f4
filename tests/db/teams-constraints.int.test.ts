import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { anonClient, createTeamOrg, serviceClient, signUpUser, type TestUser } from "../support/supabase";
import { sql } from "../support/sql";
import {
  addMembers,
  chooseOrg,
  currentOrgOf,
  invitationById,
  invitationRow,
  invitationToken,
  invite,
  randomEmail,
  randomSlug,
  refusal,
  roleOf,
} from "./teams-support";

/**
 * The teams migration's rules that aren't a matter of who may: an owner always, a personal
 * workspace that stays one person's, slugs, invitations (one pending per address, single
 * use, expiring, for the right address only), the current organisation, and what deleting
 * a team or a user takes with it. Each through supabase-js as the app would call it, each
 * refusal by its SQLSTATE and hint (what lib/teams maps to a 4xx), checked with the
 * service role to have written nothing.
 */

const service = () => serviceClient();

async function owners(orgId: string) {
  const { data, error } = await service().from("memberships").select("user_id").eq("org_id", orgId).eq("role", "owner");
  if (error) throw new Error(error.message);
  return data.map((m) => m.user_id).sort();
}

async function organisation(orgId: string) {
  const { data, error } = await service().from("organisations").select("id, name, slug, personal").eq("id", orgId).maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

describe("teams: constraints", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([signUpUser("Alice"), signUpUser("Bob"), signUpUser("Carol")]);
  });

  describe("create_team", () => {
    it("makes the creator the owner and the team their current organisation", async () => {
      const slug = randomSlug("acme");
      const { data: orgId, error } = await alice.client.rpc("create_team", { p_name: "Acme", p_slug: slug });
      expect(error).toBeNull();
      expect(await organisation(orgId!)).toEqual({ id: orgId, name: "Acme", slug, personal: false });
      expect(await owners(orgId!)).toEqual([alice.id]);
      expect(await currentOrgOf(alice.id)).toBe(orgId);
    });

    it("refuses a taken slug (23505) and a malformed one (23514), writing nothing", async () => {
      const slug = randomSlug("taken");
      expect((await alice.client.rpc("create_team", { p_name: "First", p_slug: slug })).error).toBeNull();
      const name = `Second ${randomUUID()}`;
      const taken = await bob.client.rpc("create_team", { p_name: name, p_slug: slug });
      expect(taken.error?.code).toBe("23505");
      expect(taken.error?.message).toContain("organisations_slug_key");
      for (const bad of ["a", "-ab", "ab-", "a--b", "Bad", "with space", "ü-x", "x".repeat(49)]) {
        const malformed = await bob.client.rpc("create_team", { p_name: name, p_slug: bad });
        expect(malformed.error?.code, bad).toBe("23514");
        expect(malformed.error?.message, bad).toContain("organisations_slug_format");
      }
      expect((await service().from("organisations").select("id").eq("name", name)).data).toEqual([]);
      // The longest and shortest a slug may be.
      expect((await bob.client.rpc("create_team", { p_name: name, p_slug: `${"x".repeat(39)}-${randomUUID().slice(0, 8)}` })).error).toBeNull();
      expect((await bob.client.rpc("create_team", { p_name: name, p_slug: randomUUID().slice(0, 2) })).error).toBeNull();
    });

    it("lets one account own at most 20 teams (23514 team_limit), counting only those it owns", async () => {
      const dana = await signUpUser("Dana");
      // Admin of someone else's team: not hers, so not counted.
      await createTeamOrg([{ userId: bob.id, role: "owner" }, { userId: dana.id, role: "admin" }]);
      const made: string[] = [];
      for (let i = 0; i < 20; i++) {
        const { data, error } = await dana.client.rpc("create_team", { p_name: `Team ${i}`, p_slug: randomSlug("cap") });
        expect(error, `team ${i}`).toBeNull();
        made.push(data!);
      }
      const name = `One too many ${randomUUID()}`;
      const refused = await dana.client.rpc("create_team", { p_name: name, p_slug: randomSlug("cap") });
      expect(refusal(refused.error)).toEqual({ code: "23514", hint: "team_limit" });
      expect((await service().from("organisations").select("id").eq("name", name)).data).toEqual([]);
      // Deleting one makes room again.
      expect((await dana.client.from("organisations").delete().eq("id", made[0]!).select("id")).data).toHaveLength(1);
      expect((await dana.client.rpc("create_team", { p_name: name, p_slug: randomSlug("cap") })).error).toBeNull();
    });

    it("refuses renaming to a taken or malformed slug, or to none, leaving the team as it was", async () => {
      const taken = (await organisation(await createTeamOrg([{ userId: bob.id, role: "owner" }])))?.slug;
      const orgId = await createTeamOrg([{ userId: alice.id, role: "owner" }]);
      const before = await organisation(orgId);
      expect((await alice.client.from("organisations").update({ slug: taken }).eq("id", orgId).select()).error?.code).toBe("23505");
      expect((await alice.client.from("organisations").update({ slug: "Not A Slug" }).eq("id", orgId).select()).error?.code).toBe("23514");
      // A team always has a slug; only personal workspaces have none.
      const none = await alice.client.from("organisations").update({ slug: null }).eq("id", orgId).select();
      expect(none.error?.code).toBe("23514");
      expect(none.error?.message).toContain("organisations_slug_iff_team");
      expect(await organisation(orgId)).toEqual(before);
    });

    it("refuses a team name that isn't one trimmed line (23514 organisations_team_name_format), on creation and rename", async () => {
      const orgId = await createTeamOrg([{ userId: alice.id, role: "owner" }]);
      const before = await organisation(orgId);
      for (const bad of [" Acme", "Acme ", "Ac\tme", "Ac\nme", "Acme\u0085", "\u0007", "   "]) {
        const created = await alice.client.rpc("create_team", { p_name: bad, p_slug: randomSlug("named") });
        expect(created.error?.code, JSON.stringify(bad)).toBe("23514");
        expect(created.error?.message, JSON.stringify(bad)).toContain("organisations_team_name_format");
        const renamed = await alice.client.from("organisations").update({ name: bad }).eq("id", orgId).select("id");
        expect(renamed.error?.code, JSON.stringify(bad)).toBe("23514");
      }
      expect(await organisation(orgId)).toEqual(before);
      // Inner spaces and any other character are a name's business.
      const fine = await alice.client.rpc("create_team", { p_name: "Ünïcode & Co. — 2", p_slug: randomSlug("named") });
      expect(fine.error).toBeNull();
    });

    it("is for signed-in users only", async () => {
      const slug = randomSlug("anon");
      const { error } = await anonClient().rpc("create_team", { p_name: "Nobody's", p_slug: slug });
      expect(error?.code).toBe("42501");
      expect((await service().from("organisations").select("id").eq("slug", slug)).data).toEqual([]);
    });
  });

  describe("an organisation always has an owner", () => {
    it("refuses the last owner leaving, being demoted or being removed (23514 last_owner)", async () => {
      const orgId = await createTeamOrg([
        { userId: alice.id, role: "owner" },
        { userId: bob.id, role: "admin" },
      ]);
      const leave = await alice.client.from("memberships").delete().eq("org_id", orgId).eq("user_id", alice.id).select();
      expect(refusal(leave.error)).toEqual({ code: "23514", hint: "last_owner" });
      const demote = await alice.client.from("memberships").update({ role: "admin" }).eq("org_id", orgId).eq("user_id", alice.id).select();
      expect(refusal(demote.error)).toEqual({ code: "23514", hint: "last_owner" });
      // Only an owner may remove an owner; the server can't remove the last one either.
      const removed = await service().from("memberships").delete().eq("org_id", orgId).eq("user_id", alice.id).select();
      expect(refusal(removed.error)).toEqual({ code: "23514", hint: "last_owner" });
      const demoted = await service().from("memberships").update({ role: "member" }).eq("org_id", orgId).eq("user_id", alice.id).select();
      expect(refusal(demoted.error)).toEqual({ code: "23514", hint: "last_owner" });
      expect(await owners(orgId)).toEqual([alice.id]);
    });

    it("lets an owner leave or step down while another owner stays", async () => {
      const orgId = await createTeamOrg([
        { userId: alice.id, role: "owner" },
        { userId: bob.id, role: "owner" },
      ]);
      const stepDown = await alice.client.from("memberships").update({ role: "admin" }).eq("org_id", orgId).eq("user_id", alice.id).select("role");
      expect(stepDown.error).toBeNull();
      expect(stepDown.data).toEqual([{ role: "admin" }]);
      expect(await owners(orgId)).toEqual([bob.id]);
      // Now bob is the last one.
      const leave = await bob.client.from("memberships").delete().eq("org_id", orgId).eq("user_id", bob.id).select();
      expect(refusal(leave.error)).toEqual({ code: "23514", hint: "last_owner" });
    });

    // Two requests at once, each removing (or demoting) the other owner: each alone would
    // leave one owner, both together none. One must lose, whichever it is.
    it.each([
      ["remove", "delete"],
      ["demote", "update"],
    ] as const)("keeps an owner when two owners %s each other at once", async (_what, op) => {
      for (let round = 0; round < 4; round++) {
        const [a, b] = round % 2 === 0 ? [alice, bob] : [bob, alice];
        const orgId = await createTeamOrg([
          { userId: a.id, role: "owner" },
          { userId: b.id, role: "owner" },
        ]);
        const against = (actor: TestUser, target: TestUser) => {
          const memberships = actor.client.from("memberships");
          const query = op === "delete" ? memberships.delete() : memberships.update({ role: "member" });
          return query.eq("org_id", orgId).eq("user_id", target.id).select("user_id");
        };
        const answers = await Promise.all([against(a, b), against(b, a)]);
        const tookEffect = answers.filter((answer) => answer.error === null && answer.data.length === 1);
        expect(tookEffect).toHaveLength(1);
        // The loser is refused by the trigger, or (when the winner had already committed)
        // finds itself no longer an owner and its policy matches no row.
        const loser = answers.find((answer) => !tookEffect.includes(answer));
        if (loser?.error) expect(refusal(loser.error)).toEqual({ code: "23514", hint: "last_owner" });
        else expect(loser?.data).toEqual([]);
        expect(await owners(orgId)).toHaveLength(1);
      }
    });
  });

  describe("a personal workspace", () => {
    it("takes no other member (23514 personal_workspace)", async () => {
      const { error } = await service().from("memberships").insert({ org_id: alice.orgId, user_id: bob.id, role: "member" });
      expect(refusal(error)).toEqual({ code: "23514", hint: "personal_workspace" });
      expect(await roleOf(alice.orgId, bob.id)).toBeNull();
    });

    it("can't be left or handed down by its owner (23514 personal_workspace)", async () => {
      const leave = await alice.client.from("memberships").delete().eq("org_id", alice.orgId).eq("user_id", alice.id).select();
      expect(refusal(leave.error)).toEqual({ code: "23514", hint: "personal_workspace" });
      const demote = await alice.client.from("memberships").update({ role: "member" }).eq("org_id", alice.orgId).eq("user_id", alice.id).select();
      expect(refusal(demote.error)).toEqual({ code: "23514", hint: "personal_workspace" });
      expect(await roleOf(alice.orgId, alice.id)).toBe("owner");
    });

    it("can't be renamed, given a slug or deleted by its owner", async () => {
      const before = await organisation(alice.orgId);
      const rename = await alice.client.from("organisations").update({ name: "Mine" }).eq("id", alice.orgId).select();
      expect(rename.data ?? []).toEqual([]);
      const slug = await alice.client.from("organisations").update({ slug: randomSlug() }).eq("id", alice.orgId).select();
      expect(slug.data ?? []).toEqual([]);
      const remove = await alice.client.from("organisations").delete().eq("id", alice.orgId).select();
      expect(remove.data ?? []).toEqual([]);
      expect(await organisation(alice.orgId)).toEqual(before);
      // Not even the server gives a personal workspace a slug.
      const serverSlug = await service().from("organisations").update({ slug: randomSlug() }).eq("id", alice.orgId).select();
      expect(serverSlug.error?.code).toBe("23514");
    });

    it("takes no invitations (23514 personal_workspace), from its owner or the server", async () => {
      const email = randomEmail();
      const own = await alice.client.from("invitations").insert(invitationRow(alice.orgId, email).row).select("id");
      expect(refusal(own.error)).toEqual({ code: "23514", hint: "personal_workspace" });
      const server = await service().from("invitations").insert(invitationRow(alice.orgId, email).row).select();
      expect(refusal(server.error)).toEqual({ code: "23514", hint: "personal_workspace" });
      expect((await service().from("invitations").select("id").eq("email", email)).data).toEqual([]);
    });
  });

  describe("invitations", () => {
    let orgId: string;

    beforeAll(async () => {
      orgId = await createTeamOrg([
        { userId: alice.id, role: "owner" },
        { userId: bob.id, role: "member" },
      ]);
    });

    it("refuses inviting someone already in the team (23505 already_member)", async () => {
      const { error } = await alice.client.from("invitations").insert(invitationRow(orgId, bob.email).row).select("id");
      expect(refusal(error)).toEqual({ code: "23505", hint: "already_member" });
      expect((await service().from("invitations").select("id").eq("org_id", orgId).eq("email", bob.email)).data).toEqual([]);
    });

    it("keeps addresses lower-case, as accept_invitation compares them", async () => {
      const { error } = await alice.client.from("invitations").insert(invitationRow(orgId, "Someone@Example.com").row).select("id");
      expect(error?.code).toBe("23514");
    });

    it("has one pending invitation per address: inviting again updates it in place, and the old link stops working", async () => {
      const email = carol.email;
      const first = invitationRow(orgId, email);
      expect((await alice.client.from("invitations").insert(first.row).select("id")).error).toBeNull();
      const again = await alice.client.from("invitations").insert(invitationRow(orgId, email, "admin").row).select("id");
      // The unique index (not the already_member trigger): lib/teams tells them apart by hint.
      expect(again.error?.code).toBe("23505");
      expect(again.error?.hint || null).toBeNull();

      const second = invitationToken();
      const reinvited = await alice.client
        .from("invitations")
        .update({ token_nonce: second.nonce, token_hash: second.hash, role: "admin" })
        .eq("id", first.row.id)
        .select("id, role");
      expect(reinvited.error).toBeNull();
      expect(reinvited.data).toEqual([{ id: first.row.id, role: "admin" }]);
      expect((await service().from("invitations").select("id").eq("org_id", orgId).eq("email", email)).data).toEqual([{ id: first.row.id }]);

      const stale = await carol.client.rpc("accept_invitation", { p_token: first.token });
      expect(refusal(stale.error)).toEqual({ code: "22023", hint: "invitation_not_found" });
      expect(await roleOf(orgId, carol.id)).toBeNull();
      const accepted = await carol.client.rpc("accept_invitation", { p_token: second.token });
      expect(accepted.error).toBeNull();
      expect(await roleOf(orgId, carol.id)).toBe("admin");

      // Accepted, it is history: nobody re-sends or re-roles it, not even the server.
      const before = await invitationById(first.row.id);
      const third = invitationToken();
      const resend = await alice.client.from("invitations").update({ token_nonce: third.nonce, token_hash: third.hash }).eq("id", first.row.id).select("id");
      expect(refusal(resend.error)).toEqual({ code: "23514", hint: "invitation_used" });
      const server = await service().from("invitations").update({ role: "owner" }).eq("id", first.row.id).select();
      expect(refusal(server.error)).toEqual({ code: "23514", hint: "invitation_used" });
      expect(await invitationById(first.row.id)).toEqual(before);
    });

    it("leaves the inviter, expiry and acceptance to the database (42501 for a user who sends them)", async () => {
      const forged = [
        { invited_by: bob.id },
        { expires_at: new Date(Date.now() + 365 * 86_400_000).toISOString() },
        { accepted_at: new Date().toISOString(), accepted_by: carol.id },
      ];
      for (const extra of forged) {
        const { row } = invitationRow(orgId, randomEmail());
        const { error } = await alice.client.from("invitations").insert({ ...row, ...extra }).select("id");
        expect(error?.code, JSON.stringify(extra)).toBe("42501");
        expect(await invitationById(row.id)).toBeNull();
      }
      const { id } = await invite(orgId, randomEmail());
      const before = await invitationById(id);
      for (const change of [{ accepted_at: new Date().toISOString(), accepted_by: alice.id }, { invited_by: bob.id }, { email: randomEmail() }, { org_id: alice.orgId }]) {
        const { error } = await alice.client.from("invitations").update(change).eq("id", id).select("id");
        expect(error?.code, JSON.stringify(change)).toBe("42501");
      }
      expect(await invitationById(id)).toEqual(before);
    });

    it("keeps its team and address (23514 invitation_fixed)", async () => {
      const { id } = await invite(orgId, randomEmail());
      const otherTeam = await createTeamOrg([{ userId: alice.id, role: "owner" }]);
      const moved = await service().from("invitations").update({ org_id: otherTeam }).eq("id", id).select();
      expect(refusal(moved.error)).toEqual({ code: "23514", hint: "invitation_fixed" });
      const readdressed = await service().from("invitations").update({ email: randomEmail() }).eq("id", id).select();
      expect(refusal(readdressed.error)).toEqual({ code: "23514", hint: "invitation_fixed" });
    });

    it("expires 7 days after its token was made: an owner can't keep a link alive, only a new token renews it", async () => {
      const dora = await signUpUser("Dora");
      const { id, token } = await invite(orgId, dora.email);
      const week = () => Date.now() + 7 * 86_400_000;
      expect(Math.abs(Date.parse((await invitationById(id))!.expires_at) - week())).toBeLessThan(60_000);

      // Expired (the server may end a link sooner).
      const past = new Date(Date.now() - 60_000).toISOString();
      expect((await service().from("invitations").update({ expires_at: past }).eq("id", id)).error).toBeNull();
      const expired = (await invitationById(id))!.expires_at;
      expect(Date.parse(expired)).toBeLessThan(Date.now());

      // An expiry alone, from the owner: refused or ignored, never a revived link. Nor an
      // unrelated change (the role) with it.
      for (const change of [{ expires_at: new Date(week()).toISOString() }, { role: "admin" as const, expires_at: new Date(week()).toISOString() }, { role: "member" as const }]) {
        const { error } = await alice.client.from("invitations").update(change).eq("id", id).select("id");
        if (error) expect(error.code, JSON.stringify(change)).toBe("42501");
        expect((await invitationById(id))!.expires_at, JSON.stringify(change)).toBe(expired);
      }
      // Not even the server extends one without a new token.
      expect((await service().from("invitations").update({ expires_at: new Date(Date.now() + 365 * 86_400_000).toISOString() }).eq("id", id)).error).toBeNull();
      expect((await invitationById(id))!.expires_at).toBe(expired);
      const late = await dora.client.rpc("accept_invitation", { p_token: token });
      expect(refusal(late.error)).toEqual({ code: "23514", hint: "invitation_expired" });

      // Re-inviting (a new token) renews it for 7 days.
      const renewed = invitationToken();
      const resent = await alice.client.from("invitations").update({ token_nonce: renewed.nonce, token_hash: renewed.hash }).eq("id", id).select("id");
      expect(resent.error).toBeNull();
      expect(Math.abs(Date.parse((await invitationById(id))!.expires_at) - week())).toBeLessThan(60_000);
      expect((await dora.client.rpc("accept_invitation", { p_token: renewed.token })).error).toBeNull();
      expect(await roleOf(orgId, dora.id)).toBe("member");
    });
  });

  describe("the current organisation", () => {
    // The same refusal for a team that exists and one that doesn't: it names the constraint
    // (what lib/teams maps to a 404), never the team.
    it("can only be one the user is in (23503 current_organisations_membership_fkey), first choice or a change", async () => {
      const strangers = await createTeamOrg([{ userId: alice.id, role: "owner" }]);
      const mine = await createTeamOrg([{ userId: bob.id, role: "member" }]);
      const refusals = async () => {
        const answers = [];
        for (const orgId of [strangers, alice.orgId, randomUUID()]) {
          const { error, data } = await chooseOrg(bob.client, bob.id, orgId);
          expect(data, orgId).toBeNull();
          answers.push({ code: error?.code, hint: error?.hint || null, message: error?.message });
        }
        return answers;
      };
      const expected = { code: "23503", hint: null, message: expect.stringContaining("current_organisations_membership_fkey") };
      // A first choice (none yet), then a change.
      expect((await service().from("current_organisations").delete().eq("user_id", bob.id)).error).toBeNull();
      expect(await refusals()).toEqual([expected, expected, expected]);
      expect(await currentOrgOf(bob.id)).toBeNull();
      expect((await chooseOrg(bob.client, bob.id, mine)).error).toBeNull();
      expect(await refusals()).toEqual([expected, expected, expected]);
      // Not even set by the server.
      const server = await chooseOrg(service(), bob.id, strangers);
      expect(server.error).toMatchObject(expected);
      expect(await currentOrgOf(bob.id)).toBe(mine);
    });

    it.each(["leave", "are removed", "see the team deleted"] as const)("falls back to the default when they %s", async (how) => {
      const orgId = await createTeamOrg([
        { userId: alice.id, role: "owner" },
        { userId: bob.id, role: "member" },
      ]);
      const other = await createTeamOrg([
        { userId: alice.id, role: "owner" },
        { userId: bob.id, role: "member" },
      ]);
      expect((await chooseOrg(bob.client, bob.id, orgId)).error).toBeNull();
      expect(await currentOrgOf(bob.id)).toBe(orgId);
      // Leaving another team leaves the choice alone.
      expect((await bob.client.from("memberships").delete().eq("org_id", other).eq("user_id", bob.id).select()).data).toHaveLength(1);
      expect(await currentOrgOf(bob.id)).toBe(orgId);

      const gone =
        how === "leave"
          ? await bob.client.from("memberships").delete().eq("org_id", orgId).eq("user_id", bob.id).select()
          : how === "are removed"
            ? await alice.client.from("memberships").delete().eq("org_id", orgId).eq("user_id", bob.id).select()
            : await alice.client.from("organisations").delete().eq("id", orgId).select();
      expect(gone.error).toBeNull();
      expect(gone.data).toHaveLength(1);
      expect(await currentOrgOf(bob.id)).toBeNull();
    });
  });

  describe("deleting a team", () => {
    it("deletes its jobs, reports and invitations with it and writes one team.deleted audit entry", async () => {
      const slug = randomSlug("doomed");
      const { data: orgId } = await alice.client.rpc("create_team", { p_name: "Doomed", p_slug: slug });
      await addMembers(orgId!, [{ userId: bob.id, role: "member" }]);
      await invite(orgId!, randomEmail());
      const jobs = await service()
        .from("jobs")
        .insert([
          { org_id: orgId!, user_id: alice.id, type: "report", status: "failed" },
          { org_id: orgId!, user_id: bob.id, type: "report", status: "pending" },
        ])
        .select("id");
      expect(jobs.error).toBeNull();
      const [failed, report] = jobs.data!;
      // A replay of the failed job (jobs.replay_of), and a report with a chunk.
      expect((await service().from("jobs").insert({ org_id: orgId!, type: "report", replay_of: failed!.id })).error).toBeNull();
      expect((await service().from("reports").insert({ job_id: report!.id, org_id: orgId!, kind: "activity", range_from: "2026-11-01", range_to: "2026-11-30" })).error).toBeNull();
      expect((await service().from("report_chunks").insert({ job_id: report!.id, seq: 0, org_id: orgId!, row_count: 0, total_amount: 0, content: "" })).error).toBeNull();

      const deleted = await alice.client.from("organisations").delete().eq("id", orgId!).select("id");
      expect(deleted.error).toBeNull();
      expect(deleted.data).toEqual([{ id: orgId }]);

      for (const table of ["jobs", "reports", "report_chunks", "invitations", "memberships"] as const) {
        const { data, error } = await service().from(table).select("org_id").eq("org_id", orgId!);
        expect(error).toBeNull();
        expect(data, table).toEqual([]);
      }
      const audit = await service().from("audit_log").select("actor_id, actor_email, action, org_id, org_name, details").eq("org_id", orgId!);
      expect(audit.data).toEqual([
        {
          actor_id: alice.id,
          actor_email: alice.email,
          action: "team.deleted",
          org_id: orgId,
          org_name: "Doomed",
          details: { slug, members: 2, jobs: 3 },
        },
      ]);
    });
  });

  describe("deleting a user", () => {
    const deleteUser = async (user: TestUser) => {
      const { error } = await service().auth.admin.deleteUser(user.id);
      expect(error).toBeNull();
      expect((await service().from("profiles").select("id").eq("id", user.id)).data).toEqual([]);
    };
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

    it("hands a team they alone own to its longest-standing admin, else its longest-standing member", async () => {
      const [owner, oldMember, oldAdmin, newAdmin, coOwner] = await Promise.all([
        signUpUser("Leaving Owner"),
        signUpUser("Old Member"),
        signUpUser("Old Admin"),
        signUpUser("New Admin"),
        signUpUser("Co-owner"),
      ]);
      const withAdmins = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
      await addMembers(withAdmins, [
        { userId: oldMember.id, role: "member", joinedAt: ago(30) },
        { userId: oldAdmin.id, role: "admin", joinedAt: ago(20) },
        { userId: newAdmin.id, role: "admin", joinedAt: ago(10) },
      ]);
      const withMembers = await createTeamOrg([{ userId: owner.id, role: "owner" }]);
      await addMembers(withMembers, [
        { userId: newAdmin.id, role: "member", joinedAt: ago(10) },
        { userId: oldMember.id, role: "member", joinedAt: ago(30) },
      ]);
      // Co-owned: nothing to hand over.
      const coOwned = await createTeamOrg([
        { userId: owner.id, role: "owner" },
        { userId: coOwner.id, role: "owner" },
        { userId: oldAdmin.id, role: "admin" },
      ]);

      await deleteUser(owner);

      expect(await owners(withAdmins)).toEqual([oldAdmin.id]);
      expect(await roleOf(withAdmins, newAdmin.id)).toBe("admin");
      expect(await roleOf(withAdmins, oldMember.id)).toBe("member");
      expect(await owners(withMembers)).toEqual([oldMember.id]);
      expect(await owners(coOwned)).toEqual([coOwner.id]);
      expect(await roleOf(coOwned, oldAdmin.id)).toBe("admin");
      expect(await organisation(owner.orgId)).toBeNull();
    });

    it("deletes a team nobody else is in, with one team.deleted audit entry by the system", async () => {
      const loner = await signUpUser("Loner");
      const slug = randomSlug("alone");
      const { data: orgId } = await loner.client.rpc("create_team", { p_name: "Alone", p_slug: slug });
      await deleteUser(loner);
      expect(await organisation(orgId!)).toBeNull();
      const audit = await service().from("audit_log").select("actor_id, actor_email, action, details").eq("org_id", orgId!);
      // Its last member's membership went first, with the account.
      expect(audit.data).toEqual([{ actor_id: null, actor_email: "system", action: "team.deleted", details: { slug, members: 0, jobs: 0 } }]);
    });

    // Each co-owner alone leaves the other; together, the team needs another owner or none.
    const coOwnedTeams = async () => {
      const [o1, o2, oldMember, newAdmin, o3, o4] = await Promise.all([
        signUpUser("Co-owner One"),
        signUpUser("Co-owner Two"),
        signUpUser("Old Member"),
        signUpUser("New Admin"),
        signUpUser("Co-owner Three"),
        signUpUser("Co-owner Four"),
      ]);
      const duo = await createTeamOrg([
        { userId: o1.id, role: "owner" },
        { userId: o2.id, role: "owner" },
      ]);
      await addMembers(duo, [
        { userId: oldMember.id, role: "member", joinedAt: ago(30) },
        { userId: newAdmin.id, role: "admin", joinedAt: ago(10) },
      ]);
      // Nobody else: it goes with them.
      const pair = await createTeamOrg([
        { userId: o1.id, role: "owner" },
        { userId: o2.id, role: "owner" },
      ]);
      // Another owner stays: nothing to hand over.
      const trio = await createTeamOrg([
        { userId: o1.id, role: "owner" },
        { userId: o2.id, role: "owner" },
        { userId: o3.id, role: "owner" },
        { userId: o4.id, role: "member" },
      ]);
      return { o1, o2, o3, o4, oldMember, newAdmin, duo, pair, trio };
    };
    const handedOver = async (t: Awaited<ReturnType<typeof coOwnedTeams>>) => {
      for (const user of [t.o1, t.o2]) {
        expect((await service().from("profiles").select("id").eq("id", user.id)).data).toEqual([]);
        expect(await organisation(user.orgId)).toBeNull();
      }
      expect(await owners(t.duo)).toEqual([t.newAdmin.id]);
      expect(await roleOf(t.duo, t.oldMember.id)).toBe("member");
      expect(await organisation(t.pair)).toBeNull();
      expect(await owners(t.trio)).toEqual([t.o3.id]);
      expect(await roleOf(t.trio, t.o4.id)).toBe("member");
    };

    it("hands over, or deletes, the teams of co-owners deleted in one statement", async () => {
      const t = await coOwnedTeams();
      await sql("delete from auth.users where id in ($1::uuid, $2::uuid)", [t.o1.id, t.o2.id]);
      await handedOver(t);
    });

    it("hands over, or deletes, the teams of co-owners deleted at the same time", async () => {
      for (let round = 0; round < 3; round++) {
        const t = await coOwnedTeams();
        const answers = await Promise.all([service().auth.admin.deleteUser(t.o1.id), service().auth.admin.deleteUser(t.o2.id)]);
        expect(answers.map((answer) => answer.error)).toEqual([null, null]);
        await handedOver(t);
      }
    });

    it("works for someone who sent or accepted invitations, which stay as history", async () => {
      const [inviter, invitee, keeper] = await Promise.all([signUpUser("Inviter"), signUpUser("Invitee"), signUpUser("Keeper")]);
      const { data: orgId } = await inviter.client.rpc("create_team", { p_name: "History", p_slug: randomSlug("history") });
      await addMembers(orgId!, [{ userId: keeper.id, role: "admin" }]);
      const accepted = invitationRow(orgId!, invitee.email);
      const pending = invitationRow(orgId!, randomEmail());
      expect((await inviter.client.from("invitations").insert([accepted.row, pending.row])).error).toBeNull();
      expect((await invitee.client.rpc("accept_invitation", { p_token: accepted.token })).error).toBeNull();

      await deleteUser(invitee);
      expect(await invitationById(accepted.row.id)).toMatchObject({ invited_by: inviter.id, accepted_by: null, accepted_at: expect.any(String) });

      await deleteUser(inviter);
      expect(await owners(orgId!)).toEqual([keeper.id]);
      expect(await invitationById(accepted.row.id)).toMatchObject({ invited_by: null, accepted_by: null, accepted_at: expect.any(String) });
      expect(await invitationById(pending.row.id)).toMatchObject({ invited_by: null, accepted_at: null });
    });
  });

  describe("viewer_context", () => {
    const viewerSchema = z.object({
      membership: z.object({ role: z.string(), organisation: z.object({ id: z.string(), slug: z.string().nullable(), personal: z.boolean() }) }),
      memberships: z.array(z.object({ role: z.string(), organisation: z.object({ id: z.string(), name: z.string(), slug: z.string().nullable(), personal: z.boolean(), plan: z.string() }) })),
      admin_org_ids: z.array(z.string()),
    });
    const membershipSchema = z.object({ role: z.string(), organisation: z.object({ id: z.string() }) });

    it("answers every membership (personal first, then by name) and the chosen current organisation", async () => {
      const frank = await signUpUser("Frank");
      const zeta = await createTeamOrg([{ userId: alice.id, role: "owner" }], { name: "Zeta" });
      const alpha = await createTeamOrg([{ userId: frank.id, role: "admin" }], { name: "alpha" });
      await addMembers(zeta, [{ userId: frank.id, role: "member" }]);

      const read = async () => viewerSchema.parse((await frank.client.rpc("viewer_context")).data);
      const current = async () => membershipSchema.parse((await service().rpc("current_membership", { p_user_id: frank.id })).data);
      // The daily digest summarises the same organisation (the cron asks with the service role).
      // Noon in the profile's zone, so the digest is due whatever the hour the test runs at.
      const digestOrg = async () => {
        const { data, error } = await service().rpc("digest_recipients_due", { p_limit: 1000, p_now: "2030-01-01T12:00:00Z" });
        if (error) throw new Error(error.message);
        return data.find((row) => row.user_id === frank.id)?.org_id;
      };
      await service().from("profiles").update({ digest_opt_in: true, time_zone: "UTC" }).eq("id", frank.id);

      const first = await read();
      expect(first.memberships.map((m) => [m.organisation.id, m.role])).toEqual([
        [frank.orgId, "owner"],
        [alpha, "admin"],
        [zeta, "member"],
      ]);
      expect(first.memberships[0]?.organisation.slug).toBeNull();
      expect(first.memberships[1]?.organisation.slug).toMatch(/^team-/);
      expect(first.admin_org_ids).toEqual([alpha]);
      // Nothing chosen yet: the personal workspace, the first joined.
      expect(first.membership.organisation).toMatchObject({ id: frank.orgId, personal: true, slug: null });
      expect((await current()).organisation.id).toBe(frank.orgId);
      expect(await digestOrg()).toBe(frank.orgId);

      expect((await chooseOrg(frank.client, frank.id, zeta)).error).toBeNull();
      const chosen = await read();
      expect(chosen.membership).toMatchObject({ role: "member", organisation: { id: zeta, personal: false } });
      expect(await current()).toMatchObject({ role: "member", organisation: { id: zeta } });
      expect(await digestOrg()).toBe(zeta);

      expect((await frank.client.from("memberships").delete().eq("org_id", zeta).eq("user_id", frank.id).select()).error).toBeNull();
      expect((await read()).membership.organisation.id).toBe(frank.orgId);
      expect((await current()).organisation.id).toBe(frank.orgId);
    });
  });
});
