/**
 * How the console, the banner and alert emails write rates and counts (durations: lib/duration).
 * Null (no data) is a dash.
 */

const NONE = "—";

const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

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
