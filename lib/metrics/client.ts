"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { answer, api } from "@/lib/http/client";
import type { MetricsOverview } from "./overview";
import type { MetricsWindow } from "./window";

/** Metrics are per minute at best; refreshing more often would only cost queries. */
const REFRESH_MS = 60_000;

export const metricsKeys = {
  overview: (window: MetricsWindow) => ["admin", "metrics", window] as const,
};

export function fetchMetricsOverview(window: MetricsWindow, signal?: AbortSignal): Promise<MetricsOverview> {
  return api("/api/admin/metrics", answer<MetricsOverview>(), { query: { window }, signal });
}

/**
 * The overview for `window`, refreshed every minute. `initial` is what the server rendered
 * (for its own window); switching windows keeps the previous figures on screen, marked as
 * placeholder data, until the new ones arrive.
 */
export function useMetricsOverview(window: MetricsWindow, initial: MetricsOverview) {
  return useQuery({
    queryKey: metricsKeys.overview(window),
    queryFn: ({ signal }) => fetchMetricsOverview(window, signal),
    initialData: window === initial.window ? initial : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
}
