import type { Db } from "@/lib/supabase/db";
import { ProfileNotFoundError } from "./profile";

/** What a user may change about themselves on the Settings page. */
export type ProfileSettings = { displayName: string; timeZone: string; digestOptIn: boolean };

/** The database refused a time zone that `Intl` knows: its tz data is the authority. */
export class UnknownTimeZoneError extends Error {}

/** SQLSTATE check_violation: what the time-zone trigger (validate_time_zone) raises. */
const CHECK_VIOLATION = "23514";

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
  // The time-zone trigger's code; the other checks on these columns (lengths) are ones the
  // callers' validation already applies, so a refusal while setting a zone is the zone's.
  if (error?.code === CHECK_VIOLATION && input.timeZone !== undefined) {
    throw new UnknownTimeZoneError(error.message);
  }
  if (error) throw new Error(`Could not update the settings of ${userId}: ${error.message}`);
  if (!data) throw new ProfileNotFoundError(`No profile for user ${userId}`);
  return toSettings(data);
}
