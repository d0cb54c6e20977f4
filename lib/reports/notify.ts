import { sendEmail } from "@/lib/email/send";
import {
  ReportFailedEmail,
  ReportReadyEmail,
  reportFailedSubject,
  reportReadySubject,
} from "@/lib/email/templates/report-emails";
import { env } from "@/lib/env";
import { getJob } from "@/lib/jobs/store";
import { getProfile } from "@/lib/profiles";
import type { Db } from "@/lib/supabase/db";
import type { ReportParams } from "./request";

export const describeReport = (params: ReportParams) =>
  `The ${params.kind === "summary" ? "daily summary" : "activity export"} for ${params.from} to ${params.to}`;

export const jobPageUrl = (jobId: string) => new URL(`/dashboard/jobs/${jobId}`, env().APP_URL).toString();

/** Who to tell about a finished report: nobody unless they asked (possibly mid-run). */
async function recipientFor(db: Db, jobId: string): Promise<string | null> {
  const job = await getJob(db, { id: jobId });
  if (!job?.notify_by_email || !job.user_id) return null;
  return (await getProfile(db, { id: job.user_id })).email;
}

export async function notifyReportReady(db: Db, jobId: string, params: ReportParams, rowCount: number) {
  const to = await recipientFor(db, jobId);
  if (!to) return { sent: false };
  await sendEmail({
    to,
    subject: reportReadySubject,
    body: ReportReadyEmail({ reportName: describeReport(params), jobUrl: jobPageUrl(jobId), rowCount }),
    idempotencyKey: `report-ready/${jobId}`,
  });
  return { sent: true };
}

export async function notifyReportFailed(db: Db, jobId: string, params: ReportParams, reason: string) {
  const to = await recipientFor(db, jobId);
  if (!to) return { sent: false };
  await sendEmail({
    to,
    subject: reportFailedSubject,
    body: ReportFailedEmail({ reportName: describeReport(params), jobUrl: jobPageUrl(jobId), reason }),
    idempotencyKey: `report-failed/${jobId}`,
  });
  return { sent: true };
}
