/** How the console, the banner and alert emails write metrics. Null (no data) is a dash. */

const NONE = "—";

const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** A job's duration: "850 ms", "4.2 s", "3.5 min", "1.2 h". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return NONE;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${oneDecimal.format(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${oneDecimal.format(ms / 60_000)} min`;
  return `${oneDecimal.format(ms / 3_600_000)} h`;
}

export const formatSeconds = (seconds: number | null) => formatDuration(seconds === null ? null : seconds * 1_000);

/** A rate between 0 and 1: "4.2%", with "<0.1%" rather than a misleading "0%". */
export function formatPercent(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return NONE;
  if (rate > 0 && rate < 0.001) return "<0.1%";
  return `${oneDecimal.format(rate * 100)}%`;
}

/** Jobs per minute: "0.2/min", "<0.01/min" for a trickle. */
export function formatThroughput(perMinute: number): string {
  if (perMinute > 0 && perMinute < 0.01) return "<0.01/min";
  return `${new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(perMinute)}/min`;
}
