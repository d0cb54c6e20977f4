import type { AdminScope } from "@/lib/admin/access";
import { env } from "@/lib/env";
import type { Db } from "@/lib/supabase/db";
import { getJobMetrics, getJobMetricsSeries, type JobTypeMetrics, type MetricsSeriesPoint } from "./queries";
import { resolveWindow, type MetricsWindow } from "./window";

/** What GET /api/admin/metrics answers and the overview page renders. */
export type MetricsOverview = {
  window: MetricsWindow;
  from: string;
  to: string;
  bucketSeconds: number;
  types: JobTypeMetrics[];
  series: MetricsSeriesPoint[];
};

/**
 * The metrics of the organisations `scope` covers (every one for a platform admin) over
 * the window ending now. Reads with the service role, so call it only with a scope from
 * an admin `route()` (`auth: "team-admin"`): the scope is the only thing keeping other tenants' jobs out.
 */
export async function loadMetricsOverview(
  serviceDb: Db,
  scope: AdminScope,
  window: MetricsWindow,
  now = new Date(),
): Promise<MetricsOverview> {
  const { from, to, bucketSeconds } = resolveWindow(window, now);
  const orgIds = scope.platformAdmin ? null : scope.orgIds;
  const [types, series] = await Promise.all([
    // The alert rules' limit, so the page and the alerts agree on what "stuck" means.
    getJobMetrics(serviceDb, { from, to, orgIds, now, stuckAfterSeconds: env().ALERT_STUCK_AFTER_SECONDS }),
    getJobMetricsSeries(serviceDb, { from, to, orgIds, bucketSeconds }),
  ]);
  return { window, from: from.toISOString(), to: to.toISOString(), bucketSeconds, types, series };
}
