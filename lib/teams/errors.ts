import { HttpError } from "@/lib/http/errors";

/** What supabase-js reports for a refused call: PostgreSQL's SQLSTATE in `code`, its hint. */
export type DbError = { message: string; code?: string; hint?: string | null; details?: string | null };

/** SQLSTATEs the teams schema raises (20261202030000_teams.sql). */
const FOREIGN_KEY_VIOLATION = "23503";
const UNIQUE_VIOLATION = "23505";
const CHECK_VIOLATION = "23514";
const INSUFFICIENT_PRIVILEGE = "42501";

export const notFound = (what = "organisation") => new HttpError(404, "not_found", `No such ${what}.`);

export const forbidden = (message: string) => new HttpError(403, "forbidden", message);

export const personalWorkspace = (message = "Your personal workspace is yours alone: create a team to work with others.") =>
  new HttpError(400, "personal_workspace", message);

export const invitationNotFound = () =>
  new HttpError(404, "invitation_not_found", "This invitation link isn't valid: it may have been replaced by a newer one or revoked.");

export const invitationUsed = () =>
  new HttpError(410, "invitation_used", "This invitation has already been used.");

/** What a refusal means where the database can't say it: a write refused by row-level security. */
export type Refusal = {
  /** The 403's message when a policy's check refuses (42501). */
  forbidden?: string;
  /** The address an `already_member` refusal is about. */
  email?: string;
};

/**
 * A refusal from the database as the HttpError the API answers, by SQLSTATE and the hint
 * each trigger raises; anything else is an Error (a 500: a bug or an outage, not the caller's).
 */
export function teamsError(action: string, error: DbError, refusal: Refusal = {}): Error {
  switch (error.hint) {
    case "team_limit":
      return new HttpError(409, "team_limit", "You own 20 teams, the most one account can: delete one you no longer need first.");
    case "last_owner":
      return new HttpError(409, "last_owner", "A team needs at least one owner: make someone else an owner first.");
    case "personal_workspace":
      return personalWorkspace();
    case "already_member":
      return new HttpError(
        409,
        "already_member",
        `${refusal.email ?? "This address"} is already a member of this team.`,
      );
    case "not_signed_in":
      return new HttpError(401, "unauthorized", "Sign in to continue.");
    case "invitation_not_found":
      return invitationNotFound();
    case "invitation_used":
      return invitationUsed();
    case "invitation_expired":
      return new HttpError(410, "invitation_expired", "This invitation has expired: ask the team for a new one.");
    case "invitation_email_mismatch":
      return new HttpError(403, "invitation_email_mismatch", "This invitation is for another email address.");
    case "email_unconfirmed":
      return new HttpError(
        403,
        "email_unconfirmed",
        "Confirm your email address first: open the link in the confirmation email we sent you, then accept the invitation.",
      );
  }
  // Constraints have no hint: they are named in the message (and PostgREST's details).
  const text = `${error.message} ${error.details ?? ""}`;
  // The current organisation's foreign key to the caller's membership: not one of theirs.
  if (error.code === FOREIGN_KEY_VIOLATION && text.includes("current_organisations_membership_fkey")) {
    return notFound();
  }
  if (error.code === UNIQUE_VIOLATION && text.includes("organisations_slug_key")) {
    return new HttpError(409, "slug_taken", "That slug is taken: choose another.", { slug: "That slug is taken: choose another." });
  }
  if (error.code === CHECK_VIOLATION && text.includes("organisations_slug_format")) {
    return new HttpError(400, "invalid_request", "Check these fields: slug.", {
      slug: "Use lowercase letters, digits and single hyphens between them (like acme-labs).",
    });
  }
  // A policy's check, not a missing grant (the same SQLSTATE, which is a bug: a 500).
  if (error.code === INSUFFICIENT_PRIVILEGE && refusal.forbidden && /row-level security/i.test(error.message)) {
    return forbidden(refusal.forbidden);
  }
  return new Error(`Could not ${action}: ${error.message}`, { cause: error });
}

/** Whether an error is the unique index that allows one pending invitation per address and team. */
export const isPendingInvitationConflict = (error: DbError) =>
  error.code === UNIQUE_VIOLATION && !error.hint && `${error.message} ${error.details ?? ""}`.includes("invitations_pending_email_key");
