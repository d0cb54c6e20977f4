import type { Db } from "@/lib/supabase/db";
import type { ReportParams, ReportPayload, ReportWindow } from "./request";

export const CSV_HEADERS = {
  activity: "occurred_at,type,actor,amount\n",
  summary: "day,type,count,total_amount\n",
} as const;

/**
 * A finished report: `rowCount` is the file's rows (after the header), `activityCount`
 * the activities they cover (the same for an export; many per row for a summary).
 */
export type ReportResult = {
  downloadUrl: string;
  fileName: string;
  rowCount: number;
  activityCount: number;
  totalAmount: number;
};

/**
 * "offload-summary-2026-11-01-to-2026-11-30-Europe-Berlin.csv": the days are the asker's
 * local days, so the file says whose. (A zone's slashes can't be in a file name.)
 */
export const reportFileName = (payload: ReportParams & Pick<ReportPayload, "timeZone">) =>
  `offload-${payload.kind}-${payload.from}-to-${payload.to}-${payload.timeZone.replaceAll("/", "-")}.csv`;
export const reportDownloadPath = (jobId: string) => `/api/reports/${jobId}/download`;

function fail(action: string, error: { message: string }): never {
  throw new Error(`Could not ${action}: ${error.message}`);
}

/** The report row for a job; repeating it (a retried step) changes nothing. */
export async function prepareReport(db: Db, input: { jobId: string; orgId: string; payload: ReportPayload }) {
  const { error } = await db.from("reports").upsert(
    {
      job_id: input.jobId,
      org_id: input.orgId,
      kind: input.payload.kind,
      range_from: input.payload.from,
      range_to: input.payload.to,
      time_zone: input.payload.timeZone,
    },
    { onConflict: "job_id", ignoreDuplicates: true },
  );
  if (error) fail(`prepare report ${input.jobId}`, error);
}

/** Writes one window's CSV lines as chunk `seq`, inside the database; the window is local days. */
export async function writeReportChunk(db: Db, jobId: string, seq: number, window: ReportWindow) {
  const { data, error } = await db
    .rpc("write_report_chunk", { p_job_id: jobId, p_seq: seq, p_window_from: window.from, p_window_to: window.to })
    .single();
  if (error) fail(`write part ${seq} of report ${jobId}`, error);
  return { rowCount: data.row_count, activityCount: data.activity_count, totalAmount: Number(data.total_amount) };
}

/** Totals the chunks into the report row and returns what the finished job shows. */
export async function finalizeReport(db: Db, jobId: string, payload: ReportPayload): Promise<ReportResult> {
  const { data: chunks, error } = await db
    .from("report_chunks")
    .select("row_count, activity_count, total_amount")
    .eq("job_id", jobId);
  if (error) fail(`total report ${jobId}`, error);
  const rowCount = chunks.reduce((sum, c) => sum + c.row_count, 0);
  const activityCount = chunks.reduce((sum, c) => sum + c.activity_count, 0);
  // Cents as integers, so adding many chunks can't drift.
  const totalAmount = chunks.reduce((sum, c) => sum + Math.round(Number(c.total_amount) * 100), 0) / 100;
  const update = await db
    .from("reports")
    .update({ row_count: rowCount, activity_count: activityCount, total_amount: totalAmount })
    .eq("job_id", jobId);
  if (update.error) fail(`total report ${jobId}`, update.error);
  return { downloadUrl: reportDownloadPath(jobId), fileName: reportFileName(payload), rowCount, activityCount, totalAmount };
}

/**
 * The CSV as a stream: the header, then each chunk in order, fetched one at a time, so
 * serving a million-row file holds one chunk in memory. `db` is the reader's own client:
 * row-level security decides whether the file is theirs.
 *
 * The stream calls `pull` again only after it enqueued something (or while its queue
 * was asked for more during the call), so each call reads on past empty chunks until it
 * has bytes to give or the file has ended: a pull that gave nothing would stall the
 * download for good.
 */
export function streamReportCsv(db: Db, jobId: string, kind: ReportParams["kind"]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let seq = 0;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(CSV_HEADERS[kind]));
    },
    async pull(controller) {
      for (;;) {
        const { data, error } = await db
          .from("report_chunks")
          .select("content")
          .eq("job_id", jobId)
          .eq("seq", seq)
          .maybeSingle();
        if (error) return controller.error(new Error(`Could not read part ${seq} of report ${jobId}: ${error.message}`));
        if (!data) return controller.close();
        seq += 1;
        if (data.content) return controller.enqueue(encoder.encode(data.content));
      }
    },
  });
}
