/**
 * "About 2 minutes left", rounded so it doesn't flicker between polls and never claims
 * more precision than a linear estimate has. Null when there is no estimate.
 */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return "A few seconds left";
  if (seconds < 55) return `About ${Math.round(seconds / 10) * 10} seconds left`;
  if (seconds < 90) return "About a minute left";
  if (seconds < 55 * 60) return `About ${Math.round(seconds / 60)} minutes left`;
  if (seconds < 90 * 60) return "About an hour left";
  return `About ${Math.round(seconds / 3600)} hours left`;
}

/** A stopwatch reading: "0:07", "12:34", "1:02:03". */
export function formatElapsed(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The same duration for screen readers and `<time dateTime>`: "PT1H2M3S". */
export function isoDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s || (!h && !m) ? `${s}S` : ""}`;
}

export const formatCount = (count: number) => count.toLocaleString("en");
