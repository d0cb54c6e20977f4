import type { NextRequest } from "next/server";
import { deepHealth } from "@/lib/health/deep";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { env } from "@/lib/env";

const noStore = { "Cache-Control": "no-store" };

/**
 * The deep check: per service, configured and reachable, and the database grants.
 * Bearer HEALTH_CHECK_SECRET; without that variable it answers 404. 503 when a check fails.
 */
const deep = route({ auth: false, bearer: () => env().HEALTH_CHECK_SECRET }, async () => {
  const health = await deepHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: noStore });
});

/**
 * Liveness for load balancers and uptime checks, public and cheap (it touches no service;
 * also the bare baseline in bench/). `?deep=1` asks for the deep check instead.
 */
export function GET(request: NextRequest, segment: { params: Promise<Record<string, string | string[] | undefined>> }) {
  const depth = request.nextUrl.searchParams.get("deep");
  if (depth === null) return Response.json({ ok: true }, { headers: noStore });
  if (depth !== "1") {
    const error = new HttpError(400, "invalid_query", "deep must be 1, or left out for the liveness answer.");
    return Response.json(error.toBody(), { status: 400, headers: noStore });
  }
  return deep(request, segment);
}
