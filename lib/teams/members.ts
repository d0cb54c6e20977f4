import type { Db } from "@/lib/supabase/db";
import { forbidden, notFound, teamsError } from "./errors";
import { requireOrganisation, requireTeam, type Organisation } from "./organisations";
import type { Role } from "./schemas";

/** Someone in an organisation, as its members see them. */
export type Member = { userId: string; email: string; displayName: string; role: Role; joinedAt: string };

const ROLE_ORDER: Record<Role, number> = { owner: 0, admin: 1, member: 2 };

/** Ids per `in.(…)` filter: a team's worth stays well inside the gateway's URL limit. */
const IDS_PER_QUERY = 100;

/**
 * Names and addresses of the given users that the caller may read (row-level security:
 * people they share an organisation with), by id.
 */
export async function profilesOf(db: Db, ids: string[]): Promise<Map<string, { email: string; displayName: string }>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, { email: string; displayName: string }>();
  for (let start = 0; start < unique.length; start += IDS_PER_QUERY) {
    const { data, error } = await db
      .from("profiles")
      .select("id, email, display_name")
      .in("id", unique.slice(start, start + IDS_PER_QUERY));
    if (error) throw teamsError("read the members' profiles", error);
    for (const row of data) found.set(row.id, { email: row.email, displayName: row.display_name || row.email });
  }
  return found;
}

async function readMembers(db: Db, orgId: string, userId?: string): Promise<Member[]> {
  let query = db.from("memberships").select("user_id, role, created_at").eq("org_id", orgId);
  if (userId) query = query.eq("user_id", userId);
  const { data, error } = await query;
  if (error) throw teamsError("read the members", error);
  const profiles = await profilesOf(db, data.map((row) => row.user_id));
  return data
    .map((row) => {
      const profile = profiles.get(row.user_id);
      return {
        userId: row.user_id,
        email: profile?.email ?? "",
        displayName: profile?.displayName ?? "",
        role: row.role,
        joinedAt: row.created_at,
      };
    })
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.joinedAt.localeCompare(b.joinedAt) || a.userId.localeCompare(b.userId));
}

/** An organisation's members, owners first, then admins, then members, each by when they joined. */
export async function listMembers(db: Db, { orgId }: { orgId: string }): Promise<Member[]> {
  await requireOrganisation(db, { orgId });
  return readMembers(db, orgId);
}

async function requireMember(db: Db, orgId: string, userId: string): Promise<Member> {
  const [member] = await readMembers(db, orgId, userId);
  if (!member) throw notFound("member");
  return member;
}

/** What a refused change of `target` tells a caller with `caller`'s role. */
function refusedFor(caller: Organisation, ownerOnly: string, ownersAndAdmins: string) {
  return forbidden(caller.role === "admin" ? ownerOnly : ownersAndAdmins);
}

/**
 * Gives a member another role. Owners change anyone's; admins change members' and admins'
 * but never make or unmake an owner; the last owner can't step down (409 `last_owner`).
 */
export async function changeRole(
  db: Db,
  { orgId, userId, role }: { orgId: string; userId: string; role: Role },
): Promise<Member> {
  const team = await requireTeam(db, { orgId }, "Your personal workspace has one member, its owner.");
  const member = await requireMember(db, orgId, userId);
  const refused = () =>
    refusedFor(team, "Only owners can make someone an owner or change an owner's role.", "Only owners and admins can change roles.");
  const { data, error } = await db
    .from("memberships")
    .update({ role })
    .eq("org_id", orgId)
    .eq("user_id", userId)
    .select("role")
    .maybeSingle();
  // The policy's check refuses the new role (42501); its `using` hides a row the caller may not change.
  if (error) throw teamsError("change the role", error, { forbidden: refused().message });
  if (!data) throw refused();
  return { ...member, role: data.role };
}

/**
 * Removes a member, or with the caller's own id, leaves. Owners remove anyone, admins
 * members and admins; everyone may leave, except the last owner (409 `last_owner`).
 */
export async function removeMember(db: Db, { orgId, userId }: { orgId: string; userId: string }): Promise<void> {
  const team = await requireTeam(db, { orgId }, "You can't leave your personal workspace: it goes only with your account.");
  await requireMember(db, orgId, userId);
  const { data, error } = await db.from("memberships").delete().eq("org_id", orgId).eq("user_id", userId).select("user_id");
  if (error) throw teamsError("remove the member", error);
  if (data.length === 0) throw refusedFor(team, "Only owners can remove an owner.", "Only owners and admins can remove members.");
}
