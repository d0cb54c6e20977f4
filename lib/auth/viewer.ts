import { redirect } from "next/navigation";
import { cache } from "react";
import type { AdminScope } from "@/lib/admin/access";
import type { Db } from "@/lib/supabase/db";
import { createServerSupabase } from "@/lib/supabase/server";
import { adminScopeOf, readViewerRow, type Membership } from "./context";
import { getSessionUser, type SessionUser } from "./session";

export { getCurrentMembership, type Membership } from "./context";

export type Viewer = {
  user: SessionUser & {
    /** The address an email change waits to be confirmed for (Supabase Auth's `new_email`). */
    new_email: string | null;
  };
  email: string;
  displayName: string;
  /** IANA time zone from the profile, for showing dates. */
  timeZone: string;
  /** The organisation they act in: the one they chose, else their personal workspace. */
  membership: Membership;
  /** Every organisation they belong to, for the switcher: personal workspace first, then teams by name. */
  memberships: Membership[];
  /** What they may administer; null for someone who administers nothing. */
  admin: AdminScope | null;
};

/**
 * The signed-in user with their profile, organisation and admin scope, or null when
 * signed out: the session verified locally (getSessionUser), then one backend call.
 */
export async function loadViewer(supabase: Db): Promise<Viewer | null> {
  const user = await getSessionUser(supabase);
  if (!user) return null;
  const row = await readViewerRow(supabase);
  // A verified token whose user is gone (deleted since it was issued) is no viewer.
  if (!row || row.user_id !== user.id) return null;
  return {
    user: { ...user, new_email: row.pending_email },
    email: row.email,
    displayName: row.display_name || row.email,
    timeZone: row.time_zone,
    membership: row.membership,
    memberships: row.memberships,
    admin: adminScopeOf(row),
  };
}

/** The viewer, cached for the request, so a layout and its pages share one lookup. */
export const getViewer = cache(async (): Promise<Viewer | null> => loadViewer(await createServerSupabase()));

/** The viewer, or a redirect to the sign-in page: for pages behind sign-in. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  return viewer;
}
