import { notFound } from "next/navigation";
import { cache } from "react";
import { getViewerContext } from "@/lib/auth/context";
import { getViewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/supabase/db";

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
 * The caller's scope, read with their own client (row-level security lets a user see
 * their own memberships and platform-admin row) as part of their viewer context: one call.
 */
export async function getAdminScope(db: Db, user: { id: string; email?: string }): Promise<AdminScope | null> {
  return (await getViewerContext(db, { id: user.id, email: user.email ?? "" })).admin;
}

/** Whether the scope covers an organisation's jobs. */
export function canAdminister(scope: AdminScope, orgId: string): boolean {
  return scope.platformAdmin || scope.orgIds.includes(orgId);
}

/** The signed-in viewer's scope (null when signed out or not an admin), from the viewer's one lookup. */
export const getViewerAdminScope = cache(async (): Promise<AdminScope | null> => (await getViewer())?.admin ?? null);

/** For pages under /admin: the scope, or the not-found page for everyone else. */
export async function requireViewerAdminScope(): Promise<AdminScope> {
  const scope = await getViewerAdminScope();
  if (!scope) notFound();
  return scope;
}
