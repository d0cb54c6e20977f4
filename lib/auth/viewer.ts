import type { User } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Database } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { createServerSupabase } from "@/lib/supabase/server";

type MembershipRole = Database["public"]["Enums"]["membership_role"];

export type Membership = {
  role: MembershipRole;
  organisation: { id: string; name: string; personal: boolean };
};

export type Viewer = {
  user: User;
  email: string;
  displayName: string;
  /** IANA time zone from the profile, for showing dates. */
  timeZone: string;
  membership: Membership;
};

/**
 * The organisation the user is acting in. Until teams and an organisation switcher
 * exist, that is their first membership: the personal organisation made at sign-up.
 */
export async function getCurrentMembership(supabase: Db, userId: string): Promise<Membership> {
  const { data, error } = await supabase
    .from("memberships")
    .select("role, organisation:organisations(id, name, personal)")
    .eq("user_id", userId)
    .order("created_at")
    .limit(1)
    .single();
  if (error) throw error;
  return data;
}

/**
 * The signed-in user with their profile and organisation, or null when signed out.
 * Cached for the request, so a layout and its page share one lookup.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const supabase = await createServerSupabase();
  const {
    data: { user },
  } = await supabase.auth.getUser();
  if (!user) return null;

  const [profile, membership] = await Promise.all([
    supabase.from("profiles").select("email, display_name, time_zone").eq("id", user.id).single(),
    getCurrentMembership(supabase, user.id),
  ]);
  if (profile.error) throw profile.error;

  return {
    user,
    email: profile.data.email,
    displayName: profile.data.display_name || profile.data.email,
    timeZone: profile.data.time_zone,
    membership,
  };
});

/** The viewer, or a redirect to the sign-in page: for pages behind sign-in. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  return viewer;
}
