import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Enums } from "@/lib/supabase/database.types";
import { serviceClient, type Client } from "../support/supabase";

export type Role = Enums<"membership_role">;

/** A random address of the kind signUpUser makes, never anyone's. */
export const randomEmail = () => `invitee-${randomUUID()}@example.com`;

/** A slug no other test uses. */
export const randomSlug = (prefix = "team") => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * An invitation's link token and what the database keeps of it, as lib/teams makes them:
 * the database only ever sees `token_hash` = sha256(token), hex. The token here is random
 * rather than derived (the derivation is the app's business, tested with it).
 */
export function invitationToken() {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: createHash("sha256").update(token, "utf8").digest("hex"), nonce: randomUUID() };
}

/** The row the app inserts for an invitation: its own id and nonce, and the token's hash. */
export function invitationRow(orgId: string, email: string, role: Role = "member") {
  const { token, hash, nonce } = invitationToken();
  return { token, row: { id: randomUUID(), org_id: orgId, email, role, token_nonce: nonce, token_hash: hash } };
}

/** Inserts a pending invitation with the service role; returns its id and link token. */
export async function invite(orgId: string, email: string, role: Role = "member") {
  const { token, row } = invitationRow(orgId, email, role);
  const { error } = await serviceClient().from("invitations").insert(row);
  if (error) throw new Error(`could not invite: ${error.message}`);
  return { id: row.id, token };
}

/** Adds memberships with the service role, each with the join time given (for who is longest-standing). */
export async function addMembers(orgId: string, members: { userId: string; role: Role; joinedAt?: string }[]) {
  const { error } = await serviceClient()
    .from("memberships")
    .insert(members.map((m) => ({ org_id: orgId, user_id: m.userId, role: m.role, ...(m.joinedAt ? { created_at: m.joinedAt } : {}) })));
  if (error) throw new Error(`could not add members: ${error.message}`);
}

/** The membership's role read with the service role, or null when there is none. */
export async function roleOf(orgId: string, userId: string): Promise<Role | null> {
  const { data, error } = await serviceClient()
    .from("memberships")
    .select("role")
    .eq("org_id", orgId)
    .eq("user_id", userId)
    .maybeSingle();
  if (error) throw new Error(`could not read the membership: ${error.message}`);
  return data?.role ?? null;
}

/** The user's chosen current organisation (null: none chosen, the default), read with the service role. */
export async function currentOrgOf(userId: string): Promise<string | null> {
  const { data, error } = await serviceClient().from("current_organisations").select("org_id").eq("user_id", userId).maybeSingle();
  if (error) throw new Error(`could not read the current organisation: ${error.message}`);
  return data?.org_id ?? null;
}

/** The app's switch: an upsert of the caller's own row. */
export const chooseOrg = (db: Client, userId: string, orgId: string) =>
  db.from("current_organisations").upsert({ user_id: userId, org_id: orgId }, { onConflict: "user_id" }).select("user_id, org_id");

/** An invitation's row read with the service role, or null. */
export async function invitationById(id: string) {
  const { data, error } = await serviceClient().from("invitations").select("*").eq("id", id).maybeSingle();
  if (error) throw new Error(`could not read the invitation: ${error.message}`);
  return data;
}

/** An error as supabase-js reports it, down to what the app reads: SQLSTATE and hint. */
export const refusal = (error: { code: string; hint: string | null } | null) =>
  error ? { code: error.code, hint: error.hint || null } : null;
