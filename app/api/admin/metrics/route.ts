import { requireAdminScope } from "@/lib/admin/access";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { loadMetricsOverview } from "@/lib/metrics/overview";
import { metricsQuerySchema } from "@/lib/metrics/window";
import { createServiceSupabase } from "@/lib/supabase/service";

/**
 * Job metrics per type over `?window=1h|24h|7d` (default 24h) for the organisations the
 * caller administers, every organisation for a platform admin; 404 for everyone else.
 */
export const GET = route({}, async ({ request, supabase, user }) => {
  // The scope before the query: someone who isn't an admin learns nothing, not even its syntax.
  const scope = await requireAdminScope(supabase, user);
  const { window } = parseQuery(metricsQuerySchema, request.nextUrl.searchParams);
  const overview = await loadMetricsOverview(createServiceSupabase(), scope, window);
  return Response.json(overview, { headers: { "Cache-Control": "no-store" } });
});
