import { z } from "zod";
import type { Db } from "@/lib/supabase/db";

export const MAX_DISPLAY_NAME = 100;

/**
 * A display name, as sign-up and Settings take it: one line of text, trimmed, at most
 * 100 characters. Control characters (a NUL, a tab, a newline) are refused: a name is
 * shown in headings and email subjects, and Postgres can't store a NUL at all.
 */
export const displayNameSchema = z
  .string({ error: "Enter your name as text." })
  .trim()
  .refine((name) => !/\p{Cc}/u.test(name), { error: "Use a name without control characters (tabs, line breaks)." })
  // Counted in code points, as the database's char_length counts them.
  .refine((name) => [...name].length <= MAX_DISPLAY_NAME, {
    error: `Use at most ${MAX_DISPLAY_NAME} characters.`,
  });

export class ProfileNotFoundError extends Error {}

export async function getProfile(db: Db, { id }: { id: string }) {
  const { data, error } = await db.from("profiles").select().eq("id", id).maybeSingle();
  if (error) throw new Error(`Could not read profile ${id}: ${error.message}`);
  if (!data) throw new ProfileNotFoundError(`No profile for user ${id}`);
  return data;
}

/** Records the welcome email once; a repeat keeps the first timestamp. */
export async function markWelcomeSent(db: Db, { id }: { id: string }) {
  const { error } = await db
    .from("profiles")
    .update({ welcome_sent_at: new Date().toISOString() })
    .eq("id", id)
    .is("welcome_sent_at", null);
  if (error) throw new Error(`Could not mark the welcome email sent for ${id}: ${error.message}`);
}

/** What a user may change about themselves on the Settings page. */
export type ProfileSettings = { displayName: string; timeZone: string; digestOptIn: boolean };

/** The database refused a time zone that `Intl` knows: its tz data is the authority. */
export class UnknownTimeZoneError extends Error {}

const settingsColumns = "display_name, time_zone, digest_opt_in";

function toSettings(row: { display_name: string; time_zone: string; digest_opt_in: boolean }): ProfileSettings {
  return { displayName: row.display_name, timeZone: row.time_zone, digestOptIn: row.digest_opt_in };
}

/**
 * The IANA zones a profile may use, sorted. Node's ICU leaves out "UTC" (it lists only
 * zones with a region), yet it is every profile's default.
 */
export function supportedTimeZones(): string[] {
  return [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])].sort();
}

export async function getProfileSettings(db: Db, userId: string): Promise<ProfileSettings> {
  const { data, error } = await db.from("profiles").select(settingsColumns).eq("id", userId).maybeSingle();
  if (error) throw new Error(`Could not read the settings of ${userId}: ${error.message}`);
  if (!data) throw new ProfileNotFoundError(`No profile for user ${userId}`);
  return toSettings(data);
}

/**
 * Changes the given settings and returns them all. With a user's session, row-level
 * security and the column grants decide what may change; a row they hide is not found.
 */
export async function updateProfileSettings(
  db: Db,
  userId: string,
  input: Partial<ProfileSettings>,
): Promise<ProfileSettings> {
  const { data, error } = await db
    .from("profiles")
    .update({
      display_name: input.displayName,
      time_zone: input.timeZone,
      digest_opt_in: input.digestOptIn,
    })
    .eq("id", userId)
    .select(settingsColumns)
    .maybeSingle();
  // By the message our trigger raises, not the code (23514): the devstack doesn't pass codes on.
  if (error?.message.includes("unknown time zone: ")) {
    throw new UnknownTimeZoneError(error.message);
  }
  if (error) throw new Error(`Could not update the settings of ${userId}: ${error.message}`);
  if (!data) throw new ProfileNotFoundError(`No profile for user ${userId}`);
  return toSettings(data);
}
