import { z } from "zod";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { currentOrgId, getVisibleJob } from "@/lib/jobs/access";
import { getReportCallback } from "@/lib/reports/callback";

/**
 * The report's callback `{ url, messages }`, each message with its attempts: for the person
 * who asked for the report, as its URL was theirs to give. Anyone else, and a report asked
 * for without one, gets a 404.
 */
export const GET = route({ params: z.object({ id: z.uuid() }) }, async ({ supabase, service, user, membership, params }) => {
  const job = await getVisibleJob(supabase, params.id, currentOrgId(membership));
  const callback = job.user_id === user.id ? await getReportCallback(service(), { jobId: job.id }) : null;
  if (!callback) throw new HttpError(404, "not_found", "This report has no callback of yours.");
  return Response.json(callback);
});
