import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { z } from "zod";
import { invitationEventId, invitationSent, teamDeleted, teamDeletedEventId } from "@/inngest/events";
import { readViewerRow } from "@/lib/auth/context";
import { findJobElsewhere } from "@/lib/jobs/access";
import { invitationToken } from "@/lib/teams/invitation-token";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { sql } from "../support/sql";
import { createTeamOrg, serviceClient, signUpUser } from "../support/supabase";

type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string> } };
type Organisation = { id: string; name: string; slug: string | null; personal: boolean; plan: string; role: string };
type Member = { userId: string; email: string; displayName: string; role: string; joinedAt: string };
type Invitation = {
  id: string;
  email: string;
  role: string;
  invitedBy: string | null;
  expiresAt: string;
  expired: boolean;
  delivery: { status: "sending" | "sent" | "failed"; jobId: string } | null;
};

const json = (method: string, body?: unknown) => ({ method, body: body === undefined ? undefined : JSON.stringify(body) });
const slug = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * The teams API through the real app: each user acts with their own session, so what is
 * allowed is what row-level security and the schema's triggers allow; the API's part is to
 * answer it as a clear 4xx (404 outside a team, 403 in it without the role) with nothing
 * written, which every refusal below checks in the tables.
 */
describe(`the teams API (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient;
  let dave: ApiClient;

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
  const currentOrgOf = async (userId: string) =>
    (await db.from("current_organisations").select("org_id").eq("user_id", userId).maybeSingle()).data?.org_id ?? null;
  const orgRow = async (id: string) => (await db.from("organisations").select("id, name, slug").eq("id", id).maybeSingle()).data;
  const membersOf = async (orgId: string) =>
    (await db.from("memberships").select("user_id, role").eq("org_id", orgId).order("user_id")).data;
  const invitationsOf = async (orgId: string) =>
    (
      await db
        .from("invitations")
        .select("id, email, role, token_nonce, token_hash, expires_at, accepted_at, accepted_by")
        .eq("org_id", orgId)
        .order("id")
    ).data;
  /** Everything about a team a request could change. */
  const teamState = async (orgId: string) => ({
    org: await orgRow(orgId),
    members: await membersOf(orgId),
    invitations: await invitationsOf(orgId),
  });
  const invitation = async (id: string) => {
    const { data, error } = await db.from("invitations").select().eq("id", id).single();
    if (error) throw new Error(error.message);
    return data;
  };
  const tokenOf = async (id: string) => invitationToken({ id, nonce: (await invitation(id)).token_nonce });

  const createTeam = async (owner: ApiClient, name = "Team") => {
    const { status, body } = await owner.json<{ organisation: Organisation }>("/api/organisations", json("POST", { name, slug: slug("team") }));
    expect(status).toBe(201);
    return body.organisation;
  };
  const invite = (by: ApiClient, orgId: string, email: string, role = "member") =>
    by.json<{ invitation: Invitation } & ErrorAnswer>(`/api/organisations/${orgId}/invitations`, json("POST", { email, role }));
  const accept = (by: ApiClient, token: unknown) =>
    by.json<{ organisation: Organisation } & ErrorAnswer>("/api/invitations/accept", json("POST", { token }));

  beforeAll(async () => {
    // Tokens are made as the app makes them: with its environment (.env.development).
    for (const [name, value] of Object.entries(parseEnv(readFileSync(".env.development", "utf8")))) {
      if (value !== undefined) vi.stubEnv(name, value);
    }
    stack = await startAppStack();
    const signUp = (name: string) => signUpThroughApp(stack.app.url, name);
    [alice, bob, carol, dave] = await Promise.all([signUp("Alice"), signUp("Bob"), signUp("Carol"), signUp("Dave")]);
  }, 240_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack?.close();
  });

  describe("organisations", () => {
    it("creates a team whose creator is its owner and acts in it", async () => {
      const teamSlug = slug("acme");
      const { status, body } = await alice.json<{ organisation: Organisation }>(
        "/api/organisations",
        json("POST", { name: "  Acme Labs ", slug: teamSlug }),
      );
      expect(status).toBe(201);
      expect(body.organisation).toEqual({
        id: expect.any(String),
        name: "Acme Labs",
        slug: teamSlug,
        personal: false,
        plan: "free",
        role: "owner",
      });
      expect(await membersOf(body.organisation.id)).toEqual([{ user_id: alice.userId, role: "owner" }]);
      expect(await currentOrgOf(alice.userId)).toBe(body.organisation.id);
    });

    it("refuses a slug another team has (409 slug_taken), and creates nothing", async () => {
      const taken = await createTeam(alice, "First");
      const before = (await db.from("organisations").select("id", { count: "exact", head: true })).count;
      const { status, body } = await bob.json<ErrorAnswer>("/api/organisations", json("POST", { name: "Second", slug: taken.slug }));
      expect(status).toBe(409);
      expect(body.error.code).toBe("slug_taken");
      expect((await db.from("organisations").select("id", { count: "exact", head: true })).count).toBe(before);
      expect(await currentOrgOf(bob.userId)).toBeNull();
    });

    it.each([
      ["an empty name", { name: "  ", slug: "fine-slug" }, "name"],
      ["a name over 100 characters", { name: "x".repeat(101), slug: "fine-slug" }, "name"],
      ["a name with a line break", { name: "Two\nlines", slug: "fine-slug" }, "name"],
      ["a NUL in the name", { name: "Nul\u0000Team", slug: "fine-slug" }, "name"],
      ["capitals in the slug", { name: "Team", slug: "Fine-Slug" }, "slug"],
      ["a double hyphen", { name: "Team", slug: "fine--slug" }, "slug"],
      ["a one-character slug", { name: "Team", slug: "a" }, "slug"],
      ["a slug over 48 characters", { name: "Team", slug: "a".repeat(49) }, "slug"],
      ["no slug", { name: "Team" }, "slug"],
    ])("refuses %s with a 400 naming the field, and creates nothing", async (_, input, field) => {
      const before = (await db.from("organisations").select("id", { count: "exact", head: true })).count;
      const { status, body } = await dave.json<ErrorAnswer>("/api/organisations", json("POST", input));
      expect(status).toBe(400);
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.fields?.[field]).toBeDefined();
      expect((await db.from("organisations").select("id", { count: "exact", head: true })).count).toBe(before);
    });

    it("renames a team (owner and admin), refuses a member (403) and an outsider (404)", async () => {
      const team = await createTeam(alice, "Old name");
      await db.from("memberships").insert([
        { org_id: team.id, user_id: bob.userId, role: "admin" },
        { org_id: team.id, user_id: dave.userId, role: "member" },
      ]);
      const renamed = await alice.json<{ organisation: Organisation }>(`/api/organisations/${team.id}`, json("PATCH", { name: "New name" }));
      expect(renamed.status).toBe(200);
      expect(renamed.body.organisation).toMatchObject({ id: team.id, name: "New name", slug: team.slug, role: "owner" });

      const newSlug = slug("renamed");
      const byAdmin = await bob.json<{ organisation: Organisation }>(`/api/organisations/${team.id}`, json("PATCH", { slug: newSlug }));
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.organisation).toMatchObject({ name: "New name", slug: newSlug, role: "admin" });

      const before = await orgRow(team.id);
      const byMember = await dave.json<ErrorAnswer>(`/api/organisations/${team.id}`, json("PATCH", { name: "Dave's now" }));
      expect(byMember.status).toBe(403);
      expect(byMember.body.error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/^Only owners and admins can/) });
      const byOutsider = await carol.json<ErrorAnswer>(`/api/organisations/${team.id}`, json("PATCH", { name: "Carol's now" }));
      expect(byOutsider.status).toBe(404);
      expect(byOutsider.body.error.code).toBe("not_found");
      const empty = await alice.json<ErrorAnswer>(`/api/organisations/${team.id}`, json("PATCH", {}));
      expect(empty.status).toBe(400);
      const other = await createTeam(carol, "Carol's");
      const taken = await alice.json<ErrorAnswer>(`/api/organisations/${team.id}`, json("PATCH", { slug: other.slug }));
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe("slug_taken");
      expect(await orgRow(team.id)).toEqual(before);
    });

    it("keeps a personal workspace's name (400 personal_workspace) and never deletes it", async () => {
      const personal = await personalOrgOf(dave.userId);
      const before = await orgRow(personal);
      const rename = await dave.json<ErrorAnswer>(`/api/organisations/${personal}`, json("PATCH", { name: "Mine" }));
      expect(rename.status).toBe(400);
      expect(rename.body.error.code).toBe("personal_workspace");
      const remove = await dave.json<ErrorAnswer>(`/api/organisations/${personal}`, json("DELETE"));
      expect(remove.status).toBe(400);
      expect(remove.body.error.code).toBe("personal_workspace");
      expect(await orgRow(personal)).toEqual(before);
    });

    it("deletes a team for its owner only, with its jobs, and the audit log keeps a record", async () => {
      const team = await createTeam(alice, "Doomed");
      await db.from("memberships").insert({ org_id: team.id, user_id: bob.userId, role: "admin" });
      const job = await seedJob(team.id, alice.userId);

      const byAdmin = await bob.json<ErrorAnswer>(`/api/organisations/${team.id}`, json("DELETE"));
      expect(byAdmin.status).toBe(403);
      expect(byAdmin.body.error.message).toMatch(/Only owners can delete/);
      const byOutsider = await carol.json<ErrorAnswer>(`/api/organisations/${team.id}`, json("DELETE"));
      expect(byOutsider.status).toBe(404);
      expect(await orgRow(team.id)).not.toBeNull();

      const deleted = await alice.fetch(`/api/organisations/${team.id}`, { method: "DELETE" });
      expect(deleted.status).toBe(204);
      expect(await orgRow(team.id)).toBeNull();
      expect((await db.from("jobs").select("id").eq("id", job)).data).toEqual([]);
      expect(await currentOrgOf(alice.userId)).not.toBe(team.id);
      const { data: audit } = await db.from("audit_log").select("action, actor_id, org_name, details").eq("org_id", team.id);
      expect(audit).toEqual([
        { action: "team.deleted", actor_id: alice.userId, org_name: "Doomed", details: { slug: team.slug, members: 2, jobs: 1 } },
      ]);
      expect((await alice.fetch(`/api/organisations/${team.id}`, { method: "DELETE" })).status).toBe(404);
      // Its runs are told to stop (generate-report and send-invitation cancel on it), once.
      await vi.waitFor(() =>
        expect(stack.executor.store.events.filter((event) => event.name === teamDeleted.name && event.data.orgId === team.id)).toEqual([
          expect.objectContaining({ id: teamDeletedEventId(team.id), data: { orgId: team.id } }),
        ]),
      );
    });
  });

  describe("members", () => {
    let team: Organisation;

    beforeAll(async () => {
      team = await createTeam(alice, "Roles");
      await db.from("memberships").insert([
        { org_id: team.id, user_id: bob.userId, role: "admin" },
        { org_id: team.id, user_id: dave.userId, role: "member" },
      ]);
    });

    const patchRole = (by: ApiClient, userId: string, role: string) =>
      by.json<{ member: Member } & ErrorAnswer>(`/api/organisations/${team.id}/members/${userId}`, json("PATCH", { role }));
    const remove = (by: ApiClient, userId: string) =>
      by.json<ErrorAnswer>(`/api/organisations/${team.id}/members/${userId}`, json("DELETE"));

    it("lists the members, owners first, for anyone in the team and nobody else", async () => {
      const { status, body } = await dave.json<{ members: Member[] }>(`/api/organisations/${team.id}/members`);
      expect(status).toBe(200);
      expect(body.members.map(({ userId, role, displayName, email }) => ({ userId, role, displayName, email }))).toEqual([
        { userId: alice.userId, role: "owner", displayName: "Alice", email: alice.email },
        { userId: bob.userId, role: "admin", displayName: "Bob", email: bob.email },
        { userId: dave.userId, role: "member", displayName: "Dave", email: dave.email },
      ]);
      expect((await carol.json<ErrorAnswer>(`/api/organisations/${team.id}/members`)).status).toBe(404);
    });

    it("lets owners and admins change roles within their reach, and refuses the rest with nothing written", async () => {
      const promoted = await patchRole(alice, dave.userId, "admin");
      expect(promoted.status).toBe(200);
      expect(promoted.body.member).toMatchObject({ userId: dave.userId, role: "admin", displayName: "Dave" });
      expect((await patchRole(bob, dave.userId, "member")).status).toBe(200);

      const before = await membersOf(team.id);
      const refusals: [string, Promise<{ status: number; body: ErrorAnswer }>, number, RegExp][] = [
        ["an admin making an owner", patchRole(bob, dave.userId, "owner"), 403, /Only owners can/],
        ["an admin demoting the owner", patchRole(bob, alice.userId, "admin"), 403, /Only owners can/],
        ["a member changing a role", patchRole(dave, bob.userId, "member"), 403, /Only owners and admins can/],
        ["an outsider", patchRole(carol, dave.userId, "admin"), 404, /No such organisation/],
        ["someone not in the team", patchRole(alice, carol.userId, "admin"), 404, /No such member/],
        ["the last owner stepping down", patchRole(alice, alice.userId, "admin"), 409, /at least one owner/],
      ];
      for (const [what, request, status, message] of refusals) {
        const answer = await request;
        expect(answer.status, what).toBe(status);
        expect(answer.body.error.message, what).toMatch(message);
      }
      expect((await patchRole(alice, dave.userId, "boss")).status).toBe(400);
      expect(await membersOf(team.id)).toEqual(before);
    });

    it("refuses to remove the last owner, and removals beyond one's role, with nothing written", async () => {
      const before = await membersOf(team.id);
      const lastOwner = await remove(alice, alice.userId);
      expect(lastOwner.status).toBe(409);
      expect(lastOwner.body.error.code).toBe("last_owner");
      const ownerByAdmin = await remove(bob, alice.userId);
      expect(ownerByAdmin.status).toBe(403);
      expect(ownerByAdmin.body.error.code).toBe("forbidden");
      const byMember = await remove(dave, bob.userId);
      expect(byMember.status).toBe(403);
      expect(byMember.body.error.message).toMatch(/^Only owners and admins can remove/);
      expect((await remove(carol, dave.userId)).status).toBe(404);
      expect(await membersOf(team.id)).toEqual(before);
    });

    it("lets a member leave (their own id), falling back to their personal workspace", async () => {
      const leaving = await createTeam(alice, "Leavers");
      await db.from("memberships").insert({ org_id: leaving.id, user_id: dave.userId, role: "member" });
      expect((await dave.json("/api/organisations/current", json("PUT", { orgId: leaving.id }))).status).toBe(200);
      const left = await dave.fetch(`/api/organisations/${leaving.id}/members/${dave.userId}`, { method: "DELETE" });
      expect(left.status).toBe(204);
      expect(await membersOf(leaving.id)).toEqual([{ user_id: alice.userId, role: "owner" }]);
      expect(await currentOrgOf(dave.userId)).toBeNull();
      expect((await dave.json<ErrorAnswer>(`/api/organisations/${leaving.id}/members`)).status).toBe(404);
    });

    it("lets an owner remove an admin, and a second owner leave", async () => {
      const pair = await createTeam(alice, "Pair");
      await db.from("memberships").insert([
        { org_id: pair.id, user_id: bob.userId, role: "admin" },
        { org_id: pair.id, user_id: carol.userId, role: "owner" },
      ]);
      expect((await alice.fetch(`/api/organisations/${pair.id}/members/${bob.userId}`, { method: "DELETE" })).status).toBe(204);
      expect((await alice.fetch(`/api/organisations/${pair.id}/members/${alice.userId}`, { method: "DELETE" })).status).toBe(204);
      expect(await membersOf(pair.id)).toEqual([{ user_id: carol.userId, role: "owner" }]);
    });

    it("refuses to leave a personal workspace (400 personal_workspace)", async () => {
      const personal = await personalOrgOf(dave.userId);
      const answer = await dave.json<ErrorAnswer>(`/api/organisations/${personal}/members/${dave.userId}`, json("DELETE"));
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("personal_workspace");
      expect(await membersOf(personal)).toEqual([{ user_id: dave.userId, role: "owner" }]);
    });
  });

  describe("invitations", () => {
    let team: Organisation;
    const invitee = () => `invitee-${randomUUID()}@example.com`;

    beforeAll(async () => {
      team = await createTeam(alice, "Inviters");
      await db.from("memberships").insert([
        { org_id: team.id, user_id: bob.userId, role: "admin" },
        { org_id: team.id, user_id: dave.userId, role: "member" },
      ]);
    });

    const sentEvents = (invitationId: string) =>
      stack.executor.store.events.filter((event) => event.name === invitationSent.name && event.data.invitationId === invitationId);

    it("invites an address, stores only the token's hash, and sends the invitationSent event", async () => {
      const email = invitee();
      const { status, body } = await invite(alice, team.id, `  ${email.toUpperCase()} `, "admin");
      expect(status).toBe(201);
      expect(body.invitation).toMatchObject({ email, role: "admin", invitedBy: "Alice", expired: false });
      expect(Date.parse(body.invitation.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
      const row = await invitation(body.invitation.id);
      expect(row).toMatchObject({ org_id: team.id, invited_by: alice.userId, accepted_at: null });
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      await vi.waitFor(() =>
        expect(sentEvents(row.id)).toEqual([
          expect.objectContaining({
            id: invitationEventId(row.id, row.token_nonce),
            data: expect.objectContaining({ orgId: team.id, userId: alice.userId, invitationId: row.id, nonce: row.token_nonce }),
          }),
        ]),
      );
    });

    it("re-invites by replacing the pending invitation: new token, new expiry, the new role; the old link stops working", async () => {
      const email = invitee();
      const first = await invite(bob, team.id, email);
      expect(first.status).toBe(201);
      const oldToken = await tokenOf(first.body.invitation.id);
      const before = await invitation(first.body.invitation.id);
      await db.from("invitations").update({ expires_at: new Date(Date.now() + 3600_000).toISOString() }).eq("id", before.id);

      const again = await invite(alice, team.id, email, "admin");
      expect(again.status).toBe(200);
      expect(again.body.invitation).toMatchObject({ id: before.id, role: "admin", email });
      const after = await invitation(before.id);
      expect(after.token_nonce).not.toBe(before.token_nonce);
      expect(after.token_hash).not.toBe(before.token_hash);
      expect(Date.parse(after.expires_at) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
      expect((await invitationsOf(team.id))?.filter((row) => row.email === email)).toHaveLength(1);
      await vi.waitFor(() => expect(sentEvents(before.id).map((event) => event.id)).toContain(invitationEventId(before.id, after.token_nonce)));

      const stale = await accept(dave, oldToken);
      expect(stale.status).toBe(404);
      expect(stale.body.error.code).toBe("invitation_not_found");
    });

    it("lists pending invitations for owners and admins, not members (403) or outsiders (404)", async () => {
      const email = invitee();
      const sent = await invite(alice, team.id, email);
      const { status, body } = await bob.json<{ invitations: Invitation[] }>(`/api/organisations/${team.id}/invitations`);
      expect(status).toBe(200);
      expect(body.invitations.find((item) => item.id === sent.body.invitation.id)).toMatchObject({
        email,
        role: "member",
        invitedBy: "Alice",
        expired: false,
      });
      const byMember = await dave.json<ErrorAnswer>(`/api/organisations/${team.id}/invitations`);
      expect(byMember.status).toBe(403);
      expect(byMember.body.error.message).toMatch(/^Only owners and admins can/);
      expect((await carol.json<ErrorAnswer>(`/api/organisations/${team.id}/invitations`)).status).toBe(404);
    });

    it("shows each invitation's email as it goes: sent, or not sent with the job that says why", async () => {
      const deliveries = await createTeam(alice, "Deliveries");
      const [delivered, refused] = [invitee(), invitee()];
      // Resend refuses one address for good (a 422 isn't retried): its job fails at once.
      const armed = await fetch(`${stack.mail.url}/_devstack/fail`, {
        method: "POST",
        body: JSON.stringify({ count: 1, status: 422, message: "Invalid `to` field.", to: refused }),
      });
      expect(armed.ok).toBe(true);
      const sent = await invite(alice, deliveries.id, delivered);
      const failed = await invite(alice, deliveries.id, refused);
      // Just invited: its job isn't recorded yet, and the list says the email is on its way.
      expect(sent.body.invitation.delivery).toBeNull();

      const deliveryOf = async (id: string) =>
        (await alice.json<{ invitations: Invitation[] }>(`/api/organisations/${deliveries.id}/invitations`)).body.invitations.find(
          (item) => item.id === id,
        )?.delivery;
      await vi.waitFor(async () => expect((await deliveryOf(sent.body.invitation.id))?.status).toBe("sent"), { timeout: 30_000 });
      await vi.waitFor(async () => expect((await deliveryOf(failed.body.invitation.id))?.status).toBe("failed"), { timeout: 30_000 });
      const failedJob = (await deliveryOf(failed.body.invitation.id))!.jobId;
      const { data: job } = await db.from("jobs").select("status, type, org_id").eq("id", failedJob).single();
      expect(job).toEqual({ status: "failed", type: "team-invitation", org_id: deliveries.id });
    });

    it("refuses invitations beyond the inviter's role, to members, and to a personal workspace, writing none", async () => {
      const before = await invitationsOf(team.id);
      const refusals: [string, Promise<{ status: number; body: ErrorAnswer }>, number, string][] = [
        ["an admin inviting an owner", invite(bob, team.id, invitee(), "owner"), 403, "forbidden"],
        ["a member inviting", invite(dave, team.id, invitee()), 403, "forbidden"],
        ["an outsider inviting", invite(carol, team.id, invitee()), 404, "not_found"],
        ["a current member's address", invite(alice, team.id, dave.email.toUpperCase()), 409, "already_member"],
        ["a bad address", invite(alice, team.id, "not an address"), 400, "invalid_request"],
        ["a bad role", invite(alice, team.id, invitee(), "boss"), 400, "invalid_request"],
      ];
      for (const [what, request, status, code] of refusals) {
        const answer = await request;
        expect(answer.status, what).toBe(status);
        expect(answer.body.error.code, what).toBe(code);
      }
      const personal = await personalOrgOf(alice.userId);
      const toPersonal = await invite(alice, personal, invitee());
      expect(toPersonal.status).toBe(400);
      expect(toPersonal.body.error.code).toBe("personal_workspace");
      expect(await invitationsOf(team.id)).toEqual(before);
      expect(await invitationsOf(personal)).toEqual([]);
    });

    it("keeps an owner's invitation out of an admin's reach: no re-sending it, no revoking it", async () => {
      const email = invitee();
      const sent = await invite(alice, team.id, email, "owner");
      expect(sent.status).toBe(201);
      const before = await invitation(sent.body.invitation.id);
      const resend = await invite(bob, team.id, email, "member");
      expect(resend.status).toBe(403);
      expect(resend.body.error.message).toMatch(/^Only owners can/);
      const revoke = await bob.json<ErrorAnswer>(`/api/organisations/${team.id}/invitations/${before.id}`, json("DELETE"));
      expect(revoke.status).toBe(403);
      expect(revoke.body.error.message).toMatch(/^Only owners can/);
      expect(await invitation(before.id)).toEqual(before);
    });

    it("revokes for owners and admins; refuses members (403) and outsiders (404), keeping the invitation", async () => {
      const sent = await invite(alice, team.id, invitee());
      const id = sent.body.invitation.id;
      const path = `/api/organisations/${team.id}/invitations/${id}`;
      const byMember = await dave.json<ErrorAnswer>(path, json("DELETE"));
      expect(byMember.status).toBe(403);
      const byOutsider = await carol.json<ErrorAnswer>(path, json("DELETE"));
      expect(byOutsider.status).toBe(404);
      expect(await invitation(id)).toBeDefined();

      const token = await tokenOf(id);
      expect((await bob.fetch(path, { method: "DELETE" })).status).toBe(204);
      expect((await db.from("invitations").select("id").eq("id", id)).data).toEqual([]);
      expect((await bob.fetch(path, { method: "DELETE" })).status).toBe(404);
      expect((await accept(dave, token)).body.error.code).toBe("invitation_not_found");
    });

    it("answers a revoke that loses the race to an accept as 410 invitation_used, not as a matter of role", async () => {
      const sent = await invite(alice, team.id, invitee());
      const id = z.uuid().parse(sent.body.invitation.id);
      // Accepted between the revoke's look at the row and its delete: the delete then finds
      // no pending row, as when the invitee's accept commits first.
      await sql(
        "create function public.test_accept_first() returns trigger language plpgsql security definer set search_path = '' as $$ begin update public.invitations set accepted_at = now() where id = old.id; return null; end $$",
      );
      await sql(
        `create trigger test_accept_first before delete on public.invitations for each row when (old.id = '${id}') execute function public.test_accept_first()`,
      );
      onTestFinished(async () => {
        await sql("drop trigger test_accept_first on public.invitations");
        await sql("drop function public.test_accept_first()");
      });
      const revoke = await alice.json<ErrorAnswer>(`/api/organisations/${team.id}/invitations/${id}`, json("DELETE"));
      expect(revoke.status).toBe(410);
      expect(revoke.body.error.code).toBe("invitation_used");
      expect(await invitation(id)).toMatchObject({ accepted_at: expect.any(String) });
    });

    describe("accepting", () => {
      let joiner: ApiClient;

      beforeAll(async () => {
        joiner = await signUpThroughApp(stack.app.url, "Joiner");
      });

      it("joins the invited address with the invitation's role and makes the team current", async () => {
        const sent = await invite(alice, team.id, joiner.email.toUpperCase(), "admin");
        const token = await tokenOf(sent.body.invitation.id);
        const { status, body } = await accept(joiner, token);
        expect(status).toBe(200);
        expect(body.organisation).toEqual({ ...team, name: team.name, role: "admin" });
        expect((await membersOf(team.id))?.find((row) => row.user_id === joiner.userId)).toEqual({
          user_id: joiner.userId,
          role: "admin",
        });
        expect(await currentOrgOf(joiner.userId)).toBe(team.id);
        expect(await invitation(sent.body.invitation.id)).toMatchObject({ accepted_by: joiner.userId, accepted_at: expect.any(String) });

        // A second click answers the same team; the link is no one else's.
        expect((await accept(joiner, token)).status).toBe(200);
        const used = await accept(carol, token);
        expect(used.status).toBe(410);
        expect(used.body.error.code).toBe("invitation_used");
        expect((await membersOf(team.id))?.some((row) => row.user_id === carol.userId)).toBe(false);
        // Accepted invitations aren't pending: not listed, not revocable.
        const listed = await alice.json<{ invitations: Invitation[] }>(`/api/organisations/${team.id}/invitations`);
        expect(listed.body.invitations.map((item) => item.id)).not.toContain(sent.body.invitation.id);
        const revoke = await alice.json<ErrorAnswer>(`/api/organisations/${team.id}/invitations/${sent.body.invitation.id}`, json("DELETE"));
        expect(revoke.status).toBe(410);

        // Having left, the link is used up: it doesn't bring them back.
        expect((await joiner.fetch(`/api/organisations/${team.id}/members/${joiner.userId}`, { method: "DELETE" })).status).toBe(204);
        const rejoin = await accept(joiner, token);
        expect(rejoin.status).toBe(410);
        expect(rejoin.body.error.code).toBe("invitation_used");
        expect((await membersOf(team.id))?.some((row) => row.user_id === joiner.userId)).toBe(false);
      });

      it("refuses another address, naming both, and joins nobody", async () => {
        const email = invitee();
        const sent = await invite(alice, team.id, email);
        const { status, body } = await accept(carol, await tokenOf(sent.body.invitation.id));
        expect(status).toBe(403);
        expect(body.error.code).toBe("invitation_email_mismatch");
        expect(body.error.message).toContain(email);
        expect(body.error.message).toContain(carol.email);
        expect((await membersOf(team.id))?.some((row) => row.user_id === carol.userId)).toBe(false);
        expect(await invitation(sent.body.invitation.id)).toMatchObject({ accepted_at: null });
      });

      it("refuses an expired invitation (410), and joins nobody", async () => {
        const late = await signUpThroughApp(stack.app.url, "Late");
        const sent = await invite(alice, team.id, late.email);
        await db.from("invitations").update({ expires_at: new Date(Date.now() - 1000).toISOString() }).eq("id", sent.body.invitation.id);
        const listed = await alice.json<{ invitations: Invitation[] }>(`/api/organisations/${team.id}/invitations`);
        expect(listed.body.invitations.find((item) => item.id === sent.body.invitation.id)?.expired).toBe(true);
        const { status, body } = await accept(late, await tokenOf(sent.body.invitation.id));
        expect(status).toBe(410);
        expect(body.error.code).toBe("invitation_expired");
        expect((await membersOf(team.id))?.some((row) => row.user_id === late.userId)).toBe(false);
        expect(await currentOrgOf(late.userId)).toBeNull();
      });

      it.each([
        // Made when the test runs: the app's secret is only in the environment by then.
        ["an unknown token", () => invitationToken({ id: randomUUID(), nonce: randomUUID() })],
        ["an empty token", () => ""],
        ["a very long token", () => "a".repeat(10_000)],
        ["a token with other characters", () => "abc$%^&*()/.."],
        ["a token with spaces", () => `${"a".repeat(40)} or 1=1`],
      ])("answers %s with invitation_not_found (404)", async (_, token) => {
        const { status, body } = await accept(dave, token());
        expect(status).toBe(404);
        expect(body.error.code).toBe("invitation_not_found");
      });

      it("refuses a token that isn't text (400), and a caller who isn't signed in (401)", async () => {
        expect((await accept(dave, 12)).status).toBe(400);
        const signedOut = await fetch(`${stack.app.url}/api/invitations/accept`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token: "x".repeat(43) }),
        });
        expect(signedOut.status).toBe(401);
      });
    });
  });

  describe("another team's ids", () => {
    it("are a 404 for every endpoint, as an unknown id, and nothing is written", async () => {
      const theirs = await createTeam(carol, "Theirs");
      await db.from("memberships").insert({ org_id: theirs.id, user_id: bob.userId, role: "member" });
      const sent = await invite(carol, theirs.id, `theirs-${randomUUID()}@example.com`);
      expect(sent.status).toBe(201);
      const mine = await createTeam(alice, "Mine");
      const before = { theirs: await teamState(theirs.id), mine: await teamState(mine.id), current: await currentOrgOf(alice.userId) };

      const attempts: [string, string, unknown?][] = [
        ["PATCH", `/api/organisations/${theirs.id}`, { name: "Taken over" }],
        ["DELETE", `/api/organisations/${theirs.id}`],
        ["GET", `/api/organisations/${theirs.id}/members`],
        ["PATCH", `/api/organisations/${theirs.id}/members/${bob.userId}`, { role: "admin" }],
        ["DELETE", `/api/organisations/${theirs.id}/members/${bob.userId}`],
        ["DELETE", `/api/organisations/${theirs.id}/members/${carol.userId}`],
        ["GET", `/api/organisations/${theirs.id}/invitations`],
        ["POST", `/api/organisations/${theirs.id}/invitations`, { email: `sneaky-${randomUUID()}@example.com`, role: "owner" }],
        ["DELETE", `/api/organisations/${theirs.id}/invitations/${sent.body.invitation.id}`],
        // Their ids under my own team's path.
        ["PATCH", `/api/organisations/${mine.id}/members/${bob.userId}`, { role: "admin" }],
        ["DELETE", `/api/organisations/${mine.id}/members/${carol.userId}`],
        ["DELETE", `/api/organisations/${mine.id}/invitations/${sent.body.invitation.id}`],
        ["PUT", "/api/organisations/current", { orgId: theirs.id }],
        // And ids that name nothing at all.
        ["PATCH", `/api/organisations/${randomUUID()}`, { name: "Nobody's" }],
        ["GET", "/api/organisations/not-a-uuid/members"],
        ["PUT", "/api/organisations/current", { orgId: randomUUID() }],
      ];
      for (const [method, path, body] of attempts) {
        const answer = await alice.json<ErrorAnswer>(path, json(method, body));
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(answer.body.error.code, `${method} ${path}`).toBe("not_found");
      }
      expect({ theirs: await teamState(theirs.id), mine: await teamState(mine.id), current: await currentOrgOf(alice.userId) }).toEqual(before);
    });
  });

  describe("invitation limits", () => {
    const address = () => `limited-${randomUUID()}@example.com`;
    const teamEvents = (orgId: string) =>
      stack.executor.store.events.filter((event) => event.name === invitationSent.name && event.data.orgId === orgId).length;

    it("answers 429 with Retry-After once a team has sent its invitations for the window (20), writing and sending nothing", async () => {
      const team = await createTeam(carol, "Busy");
      const first = await invite(carol, team.id, address());
      expect(first.status).toBe(201);
      for (let i = 1; i < 20; i++) expect((await invite(carol, team.id, address())).status).toBe(201);
      await vi.waitFor(() => expect(teamEvents(team.id)).toBe(20));
      const before = await invitationsOf(team.id);

      for (const email of [address(), first.body.invitation.email]) {
        const over = await invite(carol, team.id, email);
        expect(over.status, email).toBe(429);
        expect(over.body.error.code).toBe("rate_limited");
        expect(over.body.error.message).toMatch(/too many invitations/);
        expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(await invitationsOf(team.id)).toEqual(before);
      expect(teamEvents(team.id)).toBe(20);
    });

    it("sends one address 3 invitations a window, from every team together, so re-sending can't flood an inbox", async () => {
      const email = address();
      const team = await createTeam(alice, "Resenders");
      expect((await invite(alice, team.id, email)).status).toBe(201);
      expect((await invite(alice, team.id, email)).status).toBe(200);
      expect((await invite(alice, team.id, email)).status).toBe(200);
      await vi.waitFor(() => expect(teamEvents(team.id)).toBe(3));
      const before = await invitationsOf(team.id);

      const again = await invite(alice, team.id, email);
      expect(again.status).toBe(429);
      expect(again.body.error).toMatchObject({ code: "rate_limited", message: expect.stringContaining(email) });
      expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
      const elsewhere = await createTeam(bob, "Elsewhere");
      expect((await invite(bob, elsewhere.id, email)).status).toBe(429);
      expect(await invitationsOf(team.id)).toEqual(before);
      expect(await invitationsOf(elsewhere.id)).toEqual([]);
      expect(teamEvents(team.id)).toBe(3);
      // Other addresses are still invited.
      expect((await invite(alice, team.id, address())).status).toBe(201);
    });
  });

  describe("a teammate's jobs", () => {
    let team: Organisation;
    let owner: ApiClient;
    let admin: ApiClient;
    let member: ApiClient;
    const jobRow = async (id: string) =>
      (await db.from("jobs").select("status, notify_by_email").eq("id", id).single()).data;
    const cancel = (by: ApiClient, id: string) => by.json<ErrorAnswer & { job: { status: string } }>(`/api/jobs/${id}/cancel`, json("POST"));
    const notify = (by: ApiClient, id: string, notifyByEmail = true) =>
      by.json<ErrorAnswer & { job: { notifyByEmail: boolean } }>(`/api/jobs/${id}`, json("PATCH", { notifyByEmail }));

    beforeAll(async () => {
      [owner, admin, member] = await Promise.all([
        signUpThroughApp(stack.app.url, "Owner"),
        signUpThroughApp(stack.app.url, "Admin"),
        signUpThroughApp(stack.app.url, "Member"),
      ]);
      team = await createTeam(owner, "Shared jobs");
      await db.from("memberships").insert([
        { org_id: team.id, user_id: admin.userId, role: "admin" },
        { org_id: team.id, user_id: member.userId, role: "member" },
      ]);
      for (const client of [admin, member]) {
        expect((await client.json("/api/organisations/current", json("PUT", { orgId: team.id }))).status).toBe(200);
      }
    });

    it("lets a plain member neither cancel an owner's job nor change its email (403, nothing written)", async () => {
      const job = await seedJob(team.id, owner.userId);
      expect((await member.fetch(`/api/jobs/${job}`)).status).toBe(200);
      const cancelled = await cancel(member, job);
      expect(cancelled.status).toBe(403);
      expect(cancelled.body.error).toMatchObject({
        code: "forbidden",
        message: "Only the person who asked for this job, or the team's owners and admins, can cancel it.",
      });
      const notified = await notify(member, job);
      expect(notified.status).toBe(403);
      expect(notified.body.error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/^Only the person who asked for this job can/) });
      expect(await jobRow(job)).toEqual({ status: "pending", notify_by_email: false });
    });

    it("lets an admin cancel a teammate's job but not choose their emails; the requester chooses their own", async () => {
      const job = await seedJob(team.id, owner.userId);
      expect((await notify(admin, job)).status).toBe(403);
      expect(await jobRow(job)).toEqual({ status: "pending", notify_by_email: false });
      const mine = await notify(owner, job);
      expect([mine.status, mine.body.job.notifyByEmail]).toEqual([200, true]);
      const cancelled = await cancel(admin, job);
      expect([cancelled.status, cancelled.body.job.status]).toEqual([200, "cancelled"]);
      expect(await jobRow(job)).toEqual({ status: "cancelled", notify_by_email: true });
    });

    it("lets a member change and cancel their own job", async () => {
      const job = await seedJob(team.id, member.userId);
      expect((await notify(member, job)).status).toBe(200);
      expect((await cancel(member, job)).status).toBe(200);
      expect(await jobRow(job)).toEqual({ status: "cancelled", notify_by_email: true });
    });
  });

  describe("a job in another of the caller's organisations (findJobElsewhere)", () => {
    it("names the organisation for a member, and nothing for the current one, outsiders, unknown and bad ids", async () => {
      const [user, outsider] = await Promise.all([signUpUser("Elsewhere"), signUpUser("Outsider")]);
      const teamId = await createTeamOrg([{ userId: user.id, role: "member" }], { name: "Far Team" });
      const job = await seedJob(teamId, user.id);
      const viewer = async (client: typeof user.client) => {
        const row = await readViewerRow(client);
        if (!row) throw new Error("no viewer");
        return row;
      };
      // As the viewer acts in their personal workspace, then in the team.
      expect(await findJobElsewhere(user.client, job, await viewer(user.client))).toEqual({
        organisation: { id: teamId, name: "Far Team" },
      });
      expect((await user.client.from("current_organisations").upsert({ user_id: user.id, org_id: teamId })).error).toBeNull();
      expect(await findJobElsewhere(user.client, job, await viewer(user.client))).toBeNull();
      expect((await user.client.from("current_organisations").delete().eq("user_id", user.id)).error).toBeNull();
      expect(await findJobElsewhere(outsider.client, job, await viewer(outsider.client))).toBeNull();
      expect(await findJobElsewhere(user.client, randomUUID(), await viewer(user.client))).toBeNull();
      expect(await findJobElsewhere(user.client, "not-a-uuid", await viewer(user.client))).toBeNull();
      // Having left the team, the link leads nowhere.
      await db.from("memberships").delete().eq("org_id", teamId).eq("user_id", user.id);
      expect(await findJobElsewhere(user.client, job, await viewer(user.client))).toBeNull();
    });
  });

  describe("the current organisation", () => {
    it("is what GET /api/jobs and GET /api/jobs/:id follow; another organisation's job is a 404 while it isn't current", async () => {
      const switcher = await signUpThroughApp(stack.app.url, "Switcher");
      const personal = await personalOrgOf(switcher.userId);
      const team = await createTeam(switcher, "Switched");
      const personalJob = await seedJob(personal, switcher.userId);
      const teamJob = await seedJob(team.id, switcher.userId);
      const jobIds = async () => (await switcher.json<{ jobs: { id: string }[] }>("/api/jobs")).body.jobs.map((job) => job.id);
      const jobStatus = async (id: string) => (await switcher.fetch(`/api/jobs/${id}`)).status;

      // Creating the team made it current.
      expect(await jobIds()).toEqual([teamJob]);
      expect(await jobStatus(teamJob)).toBe(200);
      expect(await jobStatus(personalJob)).toBe(404);

      const back = await switcher.json<{ organisation: Organisation }>("/api/organisations/current", json("PUT", { orgId: personal }));
      expect(back.status).toBe(200);
      expect(back.body.organisation).toMatchObject({ id: personal, personal: true, slug: null, role: "owner" });
      expect(await currentOrgOf(switcher.userId)).toBe(personal);
      // The personal workspace also holds the welcome email's job.
      expect(await jobIds()).toContain(personalJob);
      expect(await jobIds()).not.toContain(teamJob);
      expect(await jobStatus(personalJob)).toBe(200);
      expect(await jobStatus(teamJob)).toBe(404);
      const cancel = await switcher.json<ErrorAnswer>(`/api/jobs/${teamJob}/cancel`, json("POST"));
      expect(cancel.status).toBe(404);
      const notify = await switcher.json<ErrorAnswer>(`/api/jobs/${teamJob}`, json("PATCH", { notifyByEmail: true }));
      expect(notify.status).toBe(404);
      expect((await switcher.fetch(`/api/reports/${teamJob}/download`)).status).toBe(404);
      expect((await db.from("jobs").select("status, notify_by_email").eq("id", teamJob).single()).data).toEqual({
        status: "pending",
        notify_by_email: false,
      });

      expect((await switcher.json("/api/organisations/current", json("PUT", { orgId: team.id }))).status).toBe(200);
      expect(await jobIds()).toEqual([teamJob]);
      expect(await jobStatus(personalJob)).toBe(404);
      expect((await switcher.json<ErrorAnswer>("/api/organisations/current", json("PUT", { orgId: "nope" }))).status).toBe(400);
    });
  });

  /** A pending job in an organisation, as a route handler would have made it. */
  async function seedJob(orgId: string, userId: string): Promise<string> {
    const { data, error } = await db
      .from("jobs")
      .insert({ org_id: orgId, user_id: userId, type: "welcome-email", payload: {}, idempotency_key: `teams-${randomUUID()}` })
      .select("id")
      .single();
    if (error) throw new Error(`could not seed a job: ${error.message}`);
    return data.id;
  }
});
