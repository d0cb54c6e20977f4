import { createClient } from "@supabase/supabase-js";
import type { NextRequest } from "next/server";
import { floorEnv, sessionAccessToken, tokenSubject } from "@/bench/floor";
import { inngest } from "@/inngest/client";
import type { Database, Enums } from "@/lib/supabase/database.types";

const service = () =>
  createClient<Database>(floorEnv("SUPABASE_URL"), floorEnv("SUPABASE_SECRET_KEY"), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });

/**
 * The floor for `POST /api/reports` (bench/reports.bench.ts): the user id from the session
 * cookie's token, unverified; one `enqueue_report` call with the body as given; one event.
 * Built only into the benchmark's build (next.config.ts, pageExtensions).
 */
export async function POST(request: NextRequest) {
  const [token, body] = await Promise.all([sessionAccessToken(request, floorEnv("SUPABASE_URL")), request.json()]);
  const userId = tokenSubject(token);
  const { data, error } = await service().rpc("enqueue_report", {
    p_user_id: userId,
    p_kind: body.kind,
    p_from: body.from,
    p_to: body.to,
    p_format: "csv",
    p_notify_by_email: false,
    p_rate_limit_bucket: "reports",
    p_rate_limit: Number(process.env.REPORTS_RATE_LIMIT ?? 60),
    p_rate_limit_window_seconds: 60,
  });
  if (error) throw new Error(error.message);
  const answer = data as { job: { id: string; org_id: string }; plan: Enums<"plan"> };
  const { id, org_id } = answer.job;
  await inngest.send({
    name: "app/report.requested",
    id,
    data: { jobId: id, orgId: org_id, userId, plan: answer.plan, kind: body.kind, from: body.from, to: body.to, format: "csv" },
  });
  return Response.json({ jobId: id }, { status: 202 });
}
