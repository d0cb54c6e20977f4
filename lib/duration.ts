import { formatDuration as durationInWords, type Duration } from "date-fns";

/**
 * Every duration the product writes, for the browser, the server and emails alike. Each
 * style answers a different reader: a metric in a table, a stopwatch, an estimate, a wait.
 */

const NONE = "—";

const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** Whole hours, minutes and seconds (hours unbounded, so a stopwatch never wraps at a day). */
function clock(seconds: number): Required<Pick<Duration, "hours" | "minutes" | "seconds">> {
  const whole = Math.max(0, Math.floor(seconds));
  return { hours: Math.floor(whole / 3600), minutes: Math.floor((whole % 3600) / 60), seconds: whole % 60 };
}

/** A measured duration, compact for tables and alerts: "850 ms", "4.2 s", "3.5 min", "1.2 h". Null (no data) is a dash. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return NONE;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${oneDecimal.format(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${oneDecimal.format(ms / 60_000)} min`;
  return `${oneDecimal.format(ms / 3_600_000)} h`;
}

/** The same, from seconds. */
export const formatSeconds = (seconds: number | null) => formatDuration(seconds === null ? null : seconds * 1_000);

/** A stopwatch reading: "0:07", "12:34", "1:02:03". */
export function formatElapsed(seconds: number): string {
  const { hours, minutes, seconds: s } = clock(seconds);
  const ss = String(s).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

/**
 * The same duration for `<time dateTime>` and screen readers: "PT1H2M3S". HTML's duration
 * grammar has no years or months, so date-fns' formatISODuration ("P0Y0M0DT…") won't do.
 */
export function isoDuration(seconds: number): string {
  const { hours, minutes, seconds: s } = clock(seconds);
  return `PT${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${s || (!hours && !minutes) ? `${s}S` : ""}`;
}

/**
 * "About 2 minutes left", rounded so it doesn't flicker between polls and never claims
 * more precision than a linear estimate has. Null when there is no estimate.
 */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return "A few seconds left";
  if (seconds < 55) return `About ${durationInWords({ seconds: Math.round(seconds / 10) * 10 })} left`;
  if (seconds < 90) return "About a minute left";
  if (seconds < 55 * 60) return `About ${durationInWords({ minutes: Math.round(seconds / 60) })} left`;
  if (seconds < 90 * 60) return "About an hour left";
  return `About ${durationInWords({ hours: Math.round(seconds / 3600) })} left`;
}

/**
 * How long to wait, for messages: "1 second", "45 seconds", "2 minutes". Past a minute and
 * a half it is whole minutes, rounded up, so the wait said is never shorter than the real one.
 */
export function describeWait(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  return whole < 90 ? durationInWords({ seconds: whole }) : durationInWords({ minutes: Math.ceil(whole / 60) });
}
