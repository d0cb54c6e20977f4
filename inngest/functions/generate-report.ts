import type { z } from "zod";
import { jobTypes } from "@/lib/jobs/registry";
import { completeJob, reportProgress } from "@/lib/jobs/store";
import { notifyReportFailed, notifyReportReady } from "@/lib/reports/notify";
import { splitIntoWindows, type ReportPayload } from "@/lib/reports/request";
import { finalizeReport, prepareReport, writeReportChunk } from "@/lib/reports/store";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";
import { jobCancelRequested, reportRequested, teamDeleted } from "../events";

/** At most this many steps read data: a year-long report reads ~9 days a step. */
export const MAX_REPORT_WINDOWS = 40;

/**
 * Fairness. Inngest limits *executing requests*. With checkpointing (SDK v4's default) one
 * request runs window after window and keeps its slot until the report is done or the
 * request hands the run back at `checkpointing.maxRuntime`; a sleeping run holds none. Per
 * organisation at most 2 runs execute at once, so one organisation asking for 500 reports
 * queues behind itself and never holds more than 2 of the 10 slots; other organisations'
 * runs go on in the other 8 (the per-organisation rate limit on POST /api/reports keeps the
 * queue itself bounded).
 *
 * Checkpointing stays on here, though a run no longer gives its slot up between windows: a
 * report is one request instead of one per window, each replaying the windows before it,
 * and that saving is what keeps the shared slots turning over (`npm run bench fairness`
 * measures the small organisation's wait). Cancellation still stops the run
 * after the window in progress (Inngest refuses the next checkpoint and the SDK stops), and
 * progress is written inside each step.
 *
 * Reports are the only job a user can ask for in bulk, so the only function with a
 * per-organisation key: welcome-email runs once per sign-up, daily-digest and cleanup-jobs
 * are crons (one run at a time), and send-digest is fanned out by the cron, once per user
 * per day, and throttled to Resend's rate.
 */
export const REPORT_CONCURRENCY_PER_ORG = 2;
export const REPORT_CONCURRENCY_TOTAL = 10;

/**
 * Priority, in Inngest's terms: a factor in seconds (clamped to -600..600) by which a run's
 * steps are queued as if they had arrived earlier. A pro organisation's report starts
 * before free ones that have waited up to 10 minutes for the same slots; a free report
 * that has waited longer still goes first, so free plans are slowed, never starved.
 * `has()` keeps events without a plan (replays, older events) at 0.
 */
export const PRO_PRIORITY_SECONDS = 600;
const priorityByPlan = `has(event.data.plan) && event.data.plan == "pro" ? ${PRO_PRIORITY_SECONDS} : 0`;

type ReportEvent = z.output<typeof reportRequested.schema>;
/** An event without a time zone (sent before reports had one, or a replay of such a job) means UTC days. */
const payloadOf = ({ kind, from, to, format, timeZone }: ReportEvent): ReportPayload => ({
  kind,
  from,
  to,
  format,
  timeZone: timeZone ?? "UTC",
});

/**
 * Builds a report in many short steps, one window of days each, writing progress as it
 * goes. The rows never pass through the app: each step has the database write its CSV
 * part. One organisation can't take every worker (per-org concurrency), paid plans go
 * first (priority), cancellation stops it between steps, and the user is emailed at the
 * end if they asked, even midway. Its emails follow the welcome email's retry policy: a
 * message Resend rejects is not sent again.
 */
export const generateReport = inngest.createFunction(
  {
    id: jobTypes.report.functionId,
    name: "Generate report",
    triggers: [reportRequested],
    retries: jobTypes.report.retries,
    concurrency: [{ key: "event.data.orgId", limit: REPORT_CONCURRENCY_PER_ORG }, { limit: REPORT_CONCURRENCY_TOTAL }],
    priority: { run: priorityByPlan },
    // Cancelled by the user, or with its team: a deleted team's job and report are gone,
    // and every later step would fail and retry against nothing.
    cancelOn: [
      { event: jobCancelRequested, match: "data.jobId" },
      { event: teamDeleted, match: "data.orgId" },
    ],
    onFailure: async ({ event, step }) => {
      const original = reportRequested.schema.parse(event.data.event.data);
      await step.run("notify-failure", () =>
        withEmailRetryPolicy(
          () => notifyReportFailed(createServiceSupabase(), original.jobId, payloadOf(original)),
          "the report-failed email",
        ),
      );
    },
  },
  async ({ event, step }) => {
    const { jobId, orgId } = event.data;
    const payload = payloadOf(event.data);
    const windows = splitIntoWindows(payload.from, payload.to, MAX_REPORT_WINDOWS);
    const totalSteps = windows.length + 2;
    const progress = (done: number, message: string) =>
      reportProgress(createServiceSupabase(), jobId, Math.floor((done / totalSteps) * 100), message);

    await step.run("prepare", async () => {
      await prepareReport(createServiceSupabase(), { jobId, orgId, payload });
      await progress(1, `Step 1 of ${totalSteps}: preparing`);
    });

    for (const [seq, window] of windows.entries()) {
      await step.run(`read-${window.from}`, async () => {
        const days = window.from === window.to ? window.from : `${window.from} to ${window.to}`;
        const written = await writeReportChunk(createServiceSupabase(), jobId, seq, window);
        await progress(seq + 2, `Step ${seq + 2} of ${totalSteps}: reading ${days}`);
        return written;
      });
    }

    const result = await step.run("finalize", async () => {
      const db = createServiceSupabase();
      const finished = await finalizeReport(db, jobId, payload);
      await completeJob(db, jobId, finished);
      return finished;
    });

    await step.run("notify", () =>
      withEmailRetryPolicy(
        () => notifyReportReady(createServiceSupabase(), jobId, payload, result),
        "the report-ready email",
      ),
    );
    return result;
  },
);
