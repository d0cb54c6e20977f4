import { z } from "zod";
import { env } from "@/lib/env";
import { deepHealth } from "@/lib/health/deep";
import { route } from "@/lib/http/route";

const healthQuery = z.object({
  deep: z.literal("1", { error: "deep must be 1, or left out for the liveness answer." }).optional(),
});

const noStore = { "Cache-Control": "no-store" };

/**
 * Without `deep`: liveness for load balancers and uptime checks, public and cheap (it
 * touches no service; also the bare baseline in bench/).
 * `?deep=1`: per service, configured and reachable, and the database grants; 503 when a
 * check fails. Bearer HEALTH_CHECK_SECRET; without that variable it answers 404.
 */
export const GET = route(
  { auth: false, query: healthQuery, bearer: ({ deep }) => (deep ? env().HEALTH_CHECK_SECRET : false) },
  async ({ query }) => {
    if (!query.deep) return Response.json({ ok: true }, { headers: noStore });
    const health = await deepHealth();
    return Response.json(health, { status: health.ok ? 200 : 503, headers: noStore });
  },
);
