"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { HttpError } from "@/lib/http/errors";
import type { MetricsOverview } from "./overview";
import type { MetricsWindow } from "./window";

/** Metrics are per minute at best; refreshing more often would only cost queries. */
const REFRESH_MS = 60_000;

export const metricsKeys = {
  overview: (window: MetricsWindow) => ["admin", "metrics", window] as const,
};

export async function fetchMetricsOverview(window: MetricsWindow, signal?: AbortSignal): Promise<MetricsOverview> {
  const response = await fetch(`/api/admin/metrics?window=${window}`, { cache: "no-store", signal });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw HttpError.fromBody(response.status, body);
  return body as MetricsOverview;
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
