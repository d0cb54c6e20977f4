import { createClient } from "@supabase/supabase-js";
import type { NextRequest } from "next/server";
import { floorEnv, sessionAccessToken } from "@/bench/floor";
import type { Database } from "@/lib/supabase/database.types";

/**
 * The floor for `GET /api/jobs/:id` (bench/reports.bench.ts): the caller's token from the
 * session cookie, one read of the job under row-level security, its ETag and a 304 when it
 * matches. Built only into the benchmark's build (next.config.ts, pageExtensions).
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const [{ id }, token] = await Promise.all([params, sessionAccessToken(request, floorEnv("SUPABASE_URL"))]);
  const db = createClient<Database>(floorEnv("SUPABASE_URL"), floorEnv("SUPABASE_PUBLISHABLE_KEY"), {
    accessToken: async () => token,
  });
  const { data: job, error } = await db.from("jobs").select().eq("id", id).maybeSingle();
  if (error) throw new Error(error.message);
  if (!job) return new Response(null, { status: 404 });
  const headers = { ETag: `"${job.id}.${job.version}"`, "Cache-Control": "no-store" };
  if (request.headers.get("if-none-match") === headers.ETag) return new Response(null, { status: 304, headers });
  return Response.json(job, { headers });
}
