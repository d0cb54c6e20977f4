import { z } from "zod";

/**
 * The windows the metrics overview offers, each with a bucket size that gives its charts
 * 24–30 points. Shared by the API, the page and the browser, so it imports nothing else.
 */
export const metricsWindows = {
  "1h": { label: "Last hour", seconds: 3_600, bucketSeconds: 120 },
  "24h": { label: "Last 24 hours", seconds: 86_400, bucketSeconds: 3_600 },
  "7d": { label: "Last 7 days", seconds: 604_800, bucketSeconds: 21_600 },
} as const;

export const METRICS_WINDOWS = ["1h", "24h", "7d"] as const satisfies readonly (keyof typeof metricsWindows)[];

export type MetricsWindow = (typeof METRICS_WINDOWS)[number];

export const DEFAULT_METRICS_WINDOW: MetricsWindow = "24h";

/** `?window=1h|24h|7d`, 24h when absent. */
export const metricsQuerySchema = z.object({
  window: z
    .enum(METRICS_WINDOWS, { error: `window must be one of ${METRICS_WINDOWS.join(", ")}` })
    .default(DEFAULT_METRICS_WINDOW),
});

/** The window ending at `now`: [from, to) and the charts' bucket size. */
export function resolveWindow(window: MetricsWindow, now: Date): { from: Date; to: Date; bucketSeconds: number } {
  const { seconds, bucketSeconds } = metricsWindows[window];
  return { from: new Date(now.getTime() - seconds * 1000), to: now, bucketSeconds };
}
