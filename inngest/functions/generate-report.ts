import { completeJob, reportProgress } from "@/lib/jobs/store";
import { notifyReportFailed, notifyReportReady } from "@/lib/reports/notify";
import { splitIntoWindows, type ReportParams } from "@/lib/reports/request";
import { finalizeReport, prepareReport, writeReportChunk } from "@/lib/reports/store";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { jobCancelRequested, reportRequested } from "../events";

/** At most this many steps read data: a year-long report reads ~9 days a step. */
export const MAX_REPORT_WINDOWS = 40;
export const REPORT_RETRIES = 3;

const paramsOf = ({ kind, from, to, format }: ReportParams): ReportParams => ({ kind, from, to, format });

/**
 * Builds a report in many short steps, one window of days each, writing progress as it
 * goes. The rows never pass through the app: each step has the database write its CSV
 * part. One organisation can't take every worker (per-org concurrency), cancellation
 * stops it between steps, and the user is emailed at the end if they asked, even midway.
 */
export const generateReport = inngest.createFunction(
  {
    id: "generate-report",
    name: "Generate report",
    triggers: [reportRequested],
    retries: REPORT_RETRIES,
    concurrency: [{ key: "event.data.orgId", limit: 2 }, { limit: 10 }],
    cancelOn: [{ event: jobCancelRequested, match: "data.jobId" }],
    onFailure: async ({ event, error, step }) => {
      const original = reportRequested.schema.parse(event.data.event.data);
      await step.run("notify-failure", () =>
        notifyReportFailed(createServiceSupabase(), original.jobId, paramsOf(original), error.message),
      );
    },
  },
  async ({ event, step }) => {
    const { jobId, orgId } = event.data;
    const params = paramsOf(event.data);
    const windows = splitIntoWindows(params.from, params.to, MAX_REPORT_WINDOWS);
    const totalSteps = windows.length + 2;
    const progress = (done: number, message: string) =>
      reportProgress(createServiceSupabase(), jobId, Math.floor((done / totalSteps) * 100), message);

    await step.run("prepare", async () => {
      await prepareReport(createServiceSupabase(), { jobId, orgId, params });
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
      const finished = await finalizeReport(db, jobId, params);
      await completeJob(db, jobId, finished);
      return finished;
    });

    await step.run("notify", () => notifyReportReady(createServiceSupabase(), jobId, params, result.rowCount));
    return result;
  },
);
