import { sendEmail } from "@/lib/email/send";
import {
  ReportFailedEmail,
  ReportReadyEmail,
  reportFailedSubject,
  reportReadySubject,
} from "@/lib/email/templates/report-emails";
import { env } from "@/lib/env";
import type { Job } from "@/lib/jobs/state";
import { getJob } from "@/lib/jobs/store";
import { safeError } from "@/lib/jobs/view";
import { getProfile } from "@/lib/profiles/profile";
import type { Db } from "@/lib/supabase/db";
import type { ReportPayload } from "./request";
import { describeReportSize } from "./size";
import type { ReportResult } from "./store";

export const describeReport = (payload: ReportPayload) =>
  `The ${payload.kind === "summary" ? "daily summary" : "activity export"} for ${payload.from} to ${payload.to} (${payload.timeZone})`;

export const jobPageUrl = (jobId: string) => new URL(`/dashboard/jobs/${jobId}`, env().APP_URL).toString();

/**
 * Who to tell about a finished report: nobody unless they asked (possibly mid-run), and
 * nobody who has left the organisation since, or been removed (the email names the report
 * and its size, which are the team's). With the service role.
 */
async function recipientFor(db: Db, job: Job): Promise<string | null> {
  if (!job.notify_by_email || !job.user_id) return null;
  const member = await db.from("memberships").select("user_id").eq("org_id", job.org_id).eq("user_id", job.user_id).maybeSingle();
  if (member.error) throw new Error(`Could not read the membership of ${job.user_id}: ${member.error.message}`, { cause: member.error });
  if (!member.data) return null;
  return (await getProfile(db, { id: job.user_id })).email;
}

export async function notifyReportReady(db: Db, jobId: string, payload: ReportPayload, result: ReportResult) {
  const job = await getJob(db, { id: jobId });
  const to = job && (await recipientFor(db, job));
  if (!to) return { sent: false };
  await sendEmail({
    to,
    subject: reportReadySubject,
    body: ReportReadyEmail({
      reportName: describeReport(payload),
      jobUrl: jobPageUrl(jobId),
      size: describeReportSize(payload.kind, result),
      keptForDays: env().JOB_RETENTION_COMPLETED_DAYS,
    }),
    idempotencyKey: `report-ready/${jobId}`,
  });
  return { sent: true };
}

/**
 * Tells the user their report failed, in the words the status API uses (`safeError`): the
 * job's own error is for operators. Only a failed job: a run can also fail after its
 * report completed (the "ready" email was rejected), and that report didn't fail.
 */
export async function notifyReportFailed(db: Db, jobId: string, payload: ReportPayload) {
  const job = await getJob(db, { id: jobId });
  const reason = job?.status === "failed" ? safeError(job) : null;
  const to = job && reason && (await recipientFor(db, job));
  if (!to || !reason) return { sent: false };
  await sendEmail({
    to,
    subject: reportFailedSubject,
    body: ReportFailedEmail({ reportName: describeReport(payload), jobUrl: jobPageUrl(jobId), reason }),
    idempotencyKey: `report-failed/${jobId}`,
  });
  return { sent: true };
}
