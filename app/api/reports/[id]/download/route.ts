import { z } from "zod";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { currentOrgId, getVisibleJob } from "@/lib/jobs/access";
import { jobTypes } from "@/lib/jobs/registry";
import { reportFileName, streamReportCsv } from "@/lib/reports/store";
import { reportPayloadSchema } from "@/lib/reports/request";

/** Streams a finished report's CSV, read with the caller's session (RLS decides). */
export const GET = route({ params: z.object({ id: z.uuid() }) }, async ({ supabase, membership, params }) => {
  const job = await getVisibleJob(supabase, params.id, currentOrgId(membership));
  const report = reportPayloadSchema.safeParse(job.payload);
  if (job.type !== jobTypes.report.type || !report.success) throw new HttpError(404, "not_found", "No such report.");
  if (job.status === "cancelled") {
    throw new HttpError(409, "report_cancelled", "This report was cancelled, so there is no file. Request it again to get one.");
  }
  if (job.status === "failed") {
    throw new HttpError(409, "report_failed", "This report failed, so there is no file. Request it again to get one.");
  }
  if (job.status !== "completed") throw new HttpError(409, "report_not_ready", "This report isn't ready yet.");

  return new Response(streamReportCsv(supabase, job.id, report.data.kind), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${reportFileName(report.data)}"`,
      "Cache-Control": "private, no-store",
    },
  });
});
