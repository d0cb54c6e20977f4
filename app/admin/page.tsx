import type { Metadata } from "next";
import { MetricsOverview } from "@/components/admin/metrics/metrics-overview";
import { WorkerHealthCard } from "@/components/admin/worker-health";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewerAdminScope } from "@/lib/admin/access";
import { requireViewer } from "@/lib/auth/viewer";
import { loadMetricsOverview } from "@/lib/metrics/overview";
import { DEFAULT_METRICS_WINDOW, metricsQuerySchema } from "@/lib/metrics/window";
import { createServiceSupabase } from "@/lib/supabase/service";

export const metadata: Metadata = { title: "Overview" };

/** How the background jobs are doing, per type, for the organisations the viewer runs. */
export default async function AdminOverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [scope, viewer] = await Promise.all([requireViewerAdminScope(), requireViewer()]);
  // A window the page doesn't offer (an old link) shows the default rather than an error.
  const query = metricsQuerySchema.safeParse(await searchParams);
  const window = query.success ? query.data.window : DEFAULT_METRICS_WINDOW;
  const initial = await loadMetricsOverview(createServiceSupabase(), scope, window);

  return (
    <div className="space-y-8">
      <PageHeader
        title="Operations"
        description={
          scope.platformAdmin
            ? "How background jobs are doing across every organisation on this install."
            : "How background jobs are doing in the organisations you administer."
        }
      />
      {scope.platformAdmin && <WorkerHealthCard timeZone={viewer.timeZone} />}
      <MetricsOverview initial={initial} timeZone={viewer.timeZone} />
    </div>
  );
}
