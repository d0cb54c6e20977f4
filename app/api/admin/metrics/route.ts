import { route } from "@/lib/http/route";
import { loadMetricsOverview } from "@/lib/metrics/overview";
import { metricsQuerySchema } from "@/lib/metrics/window";

/**
 * Job metrics per type over `?window=1h|24h|7d` (default 24h) for the organisations the
 * caller administers, every organisation for a platform admin; 404 for everyone else.
 */
export const GET = route({ auth: "team-admin", query: metricsQuerySchema }, async ({ scope, query, service }) => {
  return Response.json(await loadMetricsOverview(service(), scope, query.window));
});
