import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { PROMETHEUS_CONTENT_TYPE } from "@/lib/metrics/exposition";
import { loadPrometheusText } from "@/lib/metrics/prometheus";

/**
 * The job metrics for Prometheus, in its text exposition format (lib/metrics/prometheus-catalog.ts
 * lists them), install-wide. Bearer METRICS_BEARER_TOKEN; without that variable it answers 404.
 */
export const GET = route({ auth: false, bearer: () => env().METRICS_BEARER_TOKEN }, async ({ service }) => {
  return new Response(await loadPrometheusText(service()), {
    headers: { "Content-Type": PROMETHEUS_CONTENT_TYPE, "Cache-Control": "no-store" },
  });
});
