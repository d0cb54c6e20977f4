import { randomUUID } from "node:crypto";
import { z } from "zod";
import { HttpError } from "@/lib/http/errors";
import { rateLimitedError, takeKeyedRateLimitToken, takeRateLimitToken } from "@/lib/rate-limit/limiter";
import { invitationLimits } from "@/lib/rate-limit/limits";
import { jobTypes } from "@/lib/jobs/registry";
import type { Tables } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import {
  forbidden,
  invitationNotFound,
  invitationUsed,
  isPendingInvitationConflict,
  notFound,
  teamsError,
  type DbError,
} from "./errors";
import { invitationToken, tokenHash } from "./invitation-token";
import { profilesOf } from "./members";
import { getOrganisation, requireOrganisation, requireTeam, type Organisation } from "./organisations";
import { roleSchema, wellFormedTokenSchema, type Role } from "./schemas";
import { log } from "@/lib/observability/log";

/** How long an invitation's link works, as the database sets it (guard_invitation); inviting again starts it over. */
export const INVITATION_TTL_DAYS = 7;

/** A pending invitation, as its team's owners and admins see it. */
export type Invitation = {
  id: string;
  email: string;
  role: Role;
  /** Who sent it: their name, else their address; null when they are gone or out of sight. */
  invitedBy: string | null;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  expired: boolean;
  /**
   * Its latest email: on its way (queued, sending or retrying), sent, or not sent (failed
   * after its retries: in the dead letters, and inviting again sends a new one), with the
   * job that carries it; null before its job is first recorded.
   */
  delivery: { status: InvitationEmailStatus; jobId: string } | null;
};

export type InvitationEmailStatus = "sending" | "sent" | "failed";

/** What an invitation's link shows before it is accepted, to whoever holds the link. */
export type InvitationPreview = {
  orgName: string;
  role: Role;
  email: string;
  inviterName: string | null;
  status: "pending" | "expired" | "accepted";
};

/** The columns a user's client reads: never the token's nonce or hash. */
const invitationColumns = "id, email, role, invited_by, expires_at, created_at, updated_at";

type InvitationRow = Pick<
  Tables<"invitations">,
  "id" | "email" | "role" | "invited_by" | "expires_at" | "created_at" | "updated_at"
>;

const wellFormed = (token: string) => wellFormedTokenSchema.safeParse(token).success;

const isExpired = (expiresAt: string, now = Date.now()) => Date.parse(expiresAt) <= now;

type Inviters = Map<string, { displayName: string }>;

type InvitationEmails = Map<string, NonNullable<Invitation["delivery"]>>;

function toInvitation(row: InvitationRow, inviters: Inviters, now = Date.now()): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: (row.invited_by && inviters.get(row.invited_by)?.displayName) || null,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expired: isExpired(row.expires_at, now),
    delivery: null,
  };
}

const invitationJobPayload = z.looseObject({ invitationId: z.uuid() });

/**
 * The latest email job of each invitation, read as the caller (a team's members read its
 * jobs). Only jobs since the oldest invitation was last sent: one sent before can't be its
 * latest, and an invitation lasts 7 days, so this stays a week of the team's invitations.
 */
async function latestEmails(db: Db, orgId: string, rows: InvitationRow[]): Promise<InvitationEmails> {
  const emails: InvitationEmails = new Map();
  if (rows.length === 0) return emails;
  const since = rows.map((row) => row.updated_at).sort()[0]!;
  const { data, error } = await db
    .from("jobs")
    .select("id, status, payload")
    .eq("org_id", orgId)
    .eq("type", jobTypes["team-invitation"].type)
    .gte("created_at", since)
    .order("created_at", { ascending: false })
    .limit(1000);
  if (error) throw teamsError("read the invitations' emails", error);
  const wanted = new Set(rows.map((row) => row.id));
  for (const job of data) {
    const payload = invitationJobPayload.safeParse(job.payload);
    if (!payload.success || !wanted.has(payload.data.invitationId) || emails.has(payload.data.invitationId)) continue;
    const status = job.status === "completed" ? "sent" : job.status === "failed" || job.status === "cancelled" ? "failed" : "sending";
    emails.set(payload.data.invitationId, { status, jobId: job.id });
  }
  return emails;
}

/** Invitations with their inviters' names, which the caller reads as people of the same team. */
async function toInvitations(db: Db, rows: InvitationRow[]): Promise<Invitation[]> {
  const inviters = await profilesOf(db, rows.flatMap((row) => (row.invited_by ? [row.invited_by] : [])));
  const now = Date.now();
  return rows.map((row) => toInvitation(row, inviters, now));
}

const withInviter = async (db: Db, row: InvitationRow) =>
  toInvitation(row, await profilesOf(db, row.invited_by ? [row.invited_by] : []));

/** A team the caller may invite to: a 404 outside it, a 403 for a plain member. */
async function requireInviter(db: Db, orgId: string, action: string): Promise<Organisation> {
  const team = await requireTeam(db, { orgId }, "Your personal workspace takes no invitations: create a team to invite people.");
  if (team.role === "member") throw forbidden(`Only owners and admins can ${action}.`);
  return team;
}

/** A team's pending invitations, newest first (owners and admins). */
export async function listInvitations(db: Db, { orgId }: { orgId: string }): Promise<Invitation[]> {
  const organisation = await requireOrganisation(db, { orgId });
  if (organisation.personal) return [];
  if (organisation.role === "member") throw forbidden("Only owners and admins can see the team's invitations.");
  const { data, error } = await db
    .from("invitations")
    .select(invitationColumns)
    .eq("org_id", orgId)
    .is("accepted_at", null)
    .order("created_at", { ascending: false })
    .order("id");
  if (error) throw teamsError("list the invitations", error);
  const [invitations, emails] = await Promise.all([toInvitations(db, data), latestEmails(db, orgId, data)]);
  return invitations.map((invitation) => ({ ...invitation, delivery: emails.get(invitation.id) ?? null }));
}

/**
 * Takes a token from the team's invitation limit and one from the address's (every team's
 * invitations to it together), or throws the 429 (Retry-After) that says when to come back.
 * With the service role (the limiter isn't granted to users). A refusal takes nothing from
 * its own bucket; the team's token is spent when only the address is refused.
 */
async function takeInvitationTokens(service: Db, orgId: string, email: string): Promise<void> {
  const { perOrganisation, perAddress } = invitationLimits();
  const team = await takeRateLimitToken(service, orgId, perOrganisation);
  if (!team.allowed) {
    throw rateLimitedError(team.retryAfterSeconds, "This team has sent too many invitations lately: try again later.");
  }
  const address = await takeKeyedRateLimitToken(service, perAddress, email);
  if (!address.allowed) {
    throw rateLimitedError(address.retryAfterSeconds, `${email} has been sent too many invitations lately: try again later.`);
  }
}

/**
 * Invites an address to a team with a role, or invites it again: a pending invitation for
 * the same address gets a new nonce (so a new link, and the old one stops working), a new
 * expiry and the role asked for, and `replaced` says so. The caller sends the email with
 * the answer's `nonce` (the `invitationSent` event). Admins may not invite owners; an
 * address already in the team is a 409 `already_member`. Every invitation is an email, so
 * each takes from the rate limits (`service` is for them) once the caller may invite (a
 * stranger can't drain a team's) and before anything is written (a 429 writes nothing).
 */
export async function inviteMember(
  db: Db,
  { orgId, email, role }: { orgId: string; email: string; role: Role },
  service: Db,
): Promise<{ invitation: Invitation; replaced: boolean; nonce: string }> {
  await requireInviter(db, orgId, "invite people");
  await takeInvitationTokens(service, orgId, email);
  const refusal = { email, forbidden: "Only owners can invite an owner or change an owner's invitation." };
  const fail = (error: DbError) => teamsError("invite", error, refusal);

  // Twice at most: an invitation created between our look and our insert is then found.
  for (let attempt = 0; ; attempt++) {
    const nonce = randomUUID();
    const pending = await db
      .from("invitations")
      .select("id")
      .eq("org_id", orgId)
      .eq("email", email)
      .is("accepted_at", null)
      .maybeSingle();
    if (pending.error) throw fail(pending.error);

    if (pending.data) {
      const { id } = pending.data;
      // The database owns the expiry: a new token_hash starts it over (guard_invitation).
      const { data, error } = await db
        .from("invitations")
        .update({ role, token_nonce: nonce, token_hash: tokenHash(invitationToken({ id, nonce })) })
        .eq("id", id)
        .select(invitationColumns)
        .maybeSingle();
      if (error) throw fail(error);
      // Row-level security hides an owner's invitation from an admin's update.
      if (!data) throw forbidden(refusal.forbidden);
      return { invitation: await withInviter(db, data), replaced: true, nonce };
    }

    const id = randomUUID();
    const { data, error } = await db
      .from("invitations")
      .insert({ id, org_id: orgId, email, role, token_nonce: nonce, token_hash: tokenHash(invitationToken({ id, nonce })) })
      .select(invitationColumns)
      .single();
    if (error && isPendingInvitationConflict(error) && attempt === 0) continue;
    if (error) throw fail(error);
    return { invitation: await withInviter(db, data), replaced: false, nonce };
  }
}

/** Withdraws a pending invitation: its link stops working. */
export async function revokeInvitation(db: Db, { orgId, invitationId }: { orgId: string; invitationId: string }): Promise<void> {
  await requireInviter(db, orgId, "revoke invitations");
  const found = await db
    .from("invitations")
    .select("accepted_at")
    .eq("id", invitationId)
    .eq("org_id", orgId)
    .maybeSingle();
  if (found.error) throw teamsError("revoke the invitation", found.error);
  if (!found.data) throw notFound("invitation");
  if (found.data.accepted_at) throw invitationUsed();
  const { data, error } = await db.from("invitations").delete().eq("id", invitationId).is("accepted_at", null).select("id");
  if (error) throw teamsError("revoke the invitation", error);
  if (data.length > 0) return;
  // Nothing deleted: accepted (or revoked) since the look above, or an owner's invitation
  // that row-level security keeps from an admin. Only the last is the caller's role.
  const again = await db.from("invitations").select("accepted_at").eq("id", invitationId).eq("org_id", orgId).maybeSingle();
  if (again.error) throw teamsError("revoke the invitation", again.error);
  if (!again.data) throw notFound("invitation");
  if (again.data.accepted_at) throw invitationUsed();
  throw forbidden("Only owners can revoke an owner's invitation.");
}

/**
 * Accepts an invitation as the signed-in caller (`accept_invitation`: the token, its expiry
 * and the address are checked there): they join with its role and it becomes their current
 * organisation. Answers the organisation's id. `service` reads the invited address only to
 * tell a caller signed in with another one which address to use.
 */
export async function acceptInvitation(
  db: Db,
  { token, email }: { token: string; email: string },
  service: Db,
): Promise<string> {
  if (!wellFormed(token)) throw invitationNotFound();
  const { data, error } = await db.rpc("accept_invitation", { p_token: token });
  if (error?.hint === "invitation_email_mismatch") {
    const preview = await previewInvitation(service, { token });
    throw emailMismatch(preview?.email, email);
  }
  if (error) throw teamsError("accept the invitation", error);
  return z.uuid().parse(data);
}

/**
 * The team an accepted invitation joined. Accepting one's own invitation again answers its
 * team without changing anything; if they have left it since, the link is simply used.
 */
export async function joinedOrganisation(db: Db, { orgId }: { orgId: string }): Promise<Organisation> {
  const organisation = await getOrganisation(db, { orgId });
  if (!organisation) throw invitationUsed();
  return organisation;
}

function emailMismatch(invited: string | undefined, signedIn: string): HttpError {
  const to = invited ? `was sent to ${invited}` : "is for another address";
  return new HttpError(
    403,
    "invitation_email_mismatch",
    `This invitation ${to}, but you're signed in as ${signedIn}. Sign in with the invited address to accept it.`,
  );
}

/**
 * What an invitation's link shows: the team, the role, the address it was sent to and who
 * sent it, and whether it can still be accepted; null for a token that is no invitation's
 * (unknown, replaced by a newer one, revoked, or malformed). With the service role: the
 * holder of the link may not be signed in, or not yet a member, and the token is the proof.
 */
export async function previewInvitation(service: Db, { token }: { token: string }): Promise<InvitationPreview | null> {
  if (!wellFormed(token)) return null;
  const { data, error } = await service
    .from("invitations")
    .select("email, role, invited_by, expires_at, accepted_at, organisation:organisations(name)")
    .eq("token_hash", tokenHash(token))
    .maybeSingle();
  if (error) throw teamsError("read the invitation", error);
  if (!data) return null;
  const inviter = data.invited_by ? (await profilesOf(service, [data.invited_by])).get(data.invited_by) : undefined;
  return {
    orgName: z.object({ name: z.string() }).parse(data.organisation).name,
    role: roleSchema.parse(data.role),
    email: data.email,
    inviterName: inviter?.displayName ?? null,
    status: data.accepted_at ? "accepted" : isExpired(data.expires_at) ? "expired" : "pending",
  };
}

/**
 * Queues the invitation email through `emit` (the `invitationSent` event, whose id names the
 * invitation and nonce, so a retried send is one email). The invitation stays when the
 * queue is down: the answer says so, and inviting again sends it.
 */
export async function queueInvitationEmail(invitationId: string, emit: () => Promise<unknown>): Promise<void> {
  try {
    await emit();
  } catch (error) {
    log().error({ err: error, invitationId }, "an invitation's email could not be queued");
    throw new HttpError(
      503,
      "queue_unavailable",
      "The invitation is saved, but its email can't be sent right now. Send it again in a moment.",
    );
  }
}
