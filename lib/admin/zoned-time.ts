import { formatInTimeZone, fromZonedTime } from "date-fns-tz";

/**
 * Between instants and the wall-clock times a `<input type="datetime-local">` shows
 * ("2026-11-24T08:00"), in the viewer's profile time zone rather than the browser's, so
 * the server renders the same filter the browser shows and everyone reads one clock.
 * The time-zone arithmetic (offsets, DST changes) is date-fns-tz's; only parsing is ours.
 */

const wallTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "2026-11-24T08:00" in `timeZone` as an ISO instant; null if it isn't such a time. */
export function wallTimeToIso(wall: string, timeZone: string): string | null {
  const match = wallTimePattern.exec(wall);
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  if (hour > 23 || minute > 59) return null;
  // 2026-02-31 would roll over to March: it isn't a real date.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return fromZonedTime(wall, timeZone).toISOString();
}

/** An instant as the wall-clock time in `timeZone`, to the minute. */
export function isoToWallTime(iso: string, timeZone: string): string {
  return formatInTimeZone(iso, timeZone, "yyyy-MM-dd'T'HH:mm");
}
