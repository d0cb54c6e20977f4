import { notFound } from "next/navigation";
import { cache } from "react";
import { getViewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/supabase/db";
import { createServerSupabase } from "@/lib/supabase/server";

/**
 * What a signed-in user may administer: the whole install (platform admin), or the team
 * organisations they own or administer. A personal workspace doesn't count: its owner
 * already sees its jobs on the dashboard, and the console is for people who run things
 * for others. Everything under /admin and /api/admin is scoped by this, and someone who
 * administers nothing is told the place doesn't exist (404).
 */
export type AdminScope = {
  userId: string;
  email: string;
  platformAdmin: boolean;
  /** Organisations administered through membership; every one when platformAdmin. */
  orgIds: string[];
};

/**
 * Reads the caller's grants with their own client: row-level security lets a user see
 * their own memberships and platform-admin row, so this needs no elevated access.
 */
export async function getAdminScope(db: Db, user: { id: string; email?: string }): Promise<AdminScope | null> {
  const [platform, memberships] = await Promise.all([
    db.from("platform_admins").select("user_id").eq("user_id", user.id).maybeSingle(),
    db
      .from("memberships")
      .select("org_id, organisation:organisations!inner(personal)")
      .eq("user_id", user.id)
      .in("role", ["owner", "admin"])
      .eq("organisation.personal", false),
  ]);
  if (platform.error) throw platform.error;
  if (memberships.error) throw memberships.error;

  const platformAdmin = platform.data !== null;
  const orgIds = memberships.data.map((m) => m.org_id);
  if (!platformAdmin && orgIds.length === 0) return null;
  return { userId: user.id, email: user.email ?? "", platformAdmin, orgIds };
}

/** Whether the scope covers an organisation's jobs. */
export function canAdminister(scope: AdminScope, orgId: string): boolean {
  return scope.platformAdmin || scope.orgIds.includes(orgId);
}

/** The signed-in viewer's scope (null when signed out or not an admin), once per request. */
export const getViewerAdminScope = cache(async (): Promise<AdminScope | null> => {
  const viewer = await getViewer();
  if (!viewer) return null;
  return getAdminScope(await createServerSupabase(), viewer.user);
});

/** For pages under /admin: the scope, or the not-found page for everyone else. */
export async function requireViewerAdminScope(): Promise<AdminScope> {
  const scope = await getViewerAdminScope();
  if (!scope) notFound();
  return scope;
}
