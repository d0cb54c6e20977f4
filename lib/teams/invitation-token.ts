import "server-only";
import { createHash, createHmac } from "node:crypto";
import { env } from "@/lib/env";

/**
 * An invitation link's token: HMAC-SHA256 of the invitation's id and nonce under
 * INVITATION_SECRET, base64url. Derived rather than random, so the email function can make
 * the same link on every retry without the token travelling in an event or sitting in the
 * database, which keeps only `tokenHash` (accept_invitation hashes what the link brings).
 * A new nonce (inviting again) makes a new token and voids the old link.
 */
export function invitationToken(invitation: { id: string; nonce: string }): string {
  return createHmac("sha256", env().INVITATION_SECRET)
    .update(`invitation:${invitation.id}:${invitation.nonce}`)
    .digest("base64url");
}

/** What `invitations.token_hash` holds for a token: its SHA-256, hex. */
export const tokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** Where the invitation email's button goes. */
export const invitationUrl = (token: string) => new URL(`/invitations/${encodeURIComponent(token)}`, env().APP_URL).toString();
