import type { Db } from "@/lib/supabase/db";
import type { ReportParams, ReportWindow } from "./request";

export const CSV_HEADERS = {
  activity: "occurred_at,type,actor,amount\n",
  summary: "day,type,count,total_amount\n",
} as const;

export type ReportResult = { downloadUrl: string; fileName: string; rowCount: number; totalAmount: number };

export const reportFileName = (params: ReportParams) => `offload-${params.kind}-${params.from}-to-${params.to}.csv`;
export const reportDownloadPath = (jobId: string) => `/api/reports/${jobId}/download`;

function fail(action: string, error: { message: string }): never {
  throw new Error(`Could not ${action}: ${error.message}`);
}

/** The report row for a job; repeating it (a retried step) changes nothing. */
export async function prepareReport(db: Db, input: { jobId: string; orgId: string; params: ReportParams }) {
  const { error } = await db.from("reports").upsert(
    {
      job_id: input.jobId,
      org_id: input.orgId,
      kind: input.params.kind,
      range_from: input.params.from,
      range_to: input.params.to,
    },
    { onConflict: "job_id", ignoreDuplicates: true },
  );
  if (error) fail(`prepare report ${input.jobId}`, error);
}

/** Writes one window's CSV lines as chunk `seq`, inside the database. */
export async function writeReportChunk(db: Db, jobId: string, seq: number, window: ReportWindow) {
  const { data, error } = await db
    .rpc("write_report_chunk", { p_job_id: jobId, p_seq: seq, p_window_from: window.from, p_window_to: window.to })
    .single();
  if (error) fail(`write part ${seq} of report ${jobId}`, error);
  return { rowCount: data.row_count, totalAmount: Number(data.total_amount) };
}

/** Totals the chunks into the report row and returns what the finished job shows. */
export async function finalizeReport(db: Db, jobId: string, params: ReportParams): Promise<ReportResult> {
  const { data: chunks, error } = await db
    .from("report_chunks")
    .select("row_count, total_amount")
    .eq("job_id", jobId);
  if (error) fail(`total report ${jobId}`, error);
  const rowCount = chunks.reduce((sum, c) => sum + c.row_count, 0);
  // Cents as integers, so adding many chunks can't drift.
  const totalAmount = chunks.reduce((sum, c) => sum + Math.round(Number(c.total_amount) * 100), 0) / 100;
  const update = await db.from("reports").update({ row_count: rowCount, total_amount: totalAmount }).eq("job_id", jobId);
  if (update.error) fail(`total report ${jobId}`, update.error);
  return { downloadUrl: reportDownloadPath(jobId), fileName: reportFileName(params), rowCount, totalAmount };
}

/**
 * The CSV as a stream: the header, then each chunk in order, fetched one at a time, so
 * serving a million-row file holds one chunk in memory. `db` is the reader's own client:
 * row-level security decides whether the file is theirs.
 */
export function streamReportCsv(db: Db, jobId: string, kind: ReportParams["kind"]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let seq = -1;
  return new ReadableStream({
    async pull(controller) {
      if (seq < 0) {
        controller.enqueue(encoder.encode(CSV_HEADERS[kind]));
        seq = 0;
        return;
      }
      const { data, error } = await db
        .from("report_chunks")
        .select("content")
        .eq("job_id", jobId)
        .eq("seq", seq)
        .maybeSingle();
      if (error) return controller.error(new Error(`Could not read part ${seq} of report ${jobId}: ${error.message}`));
      if (!data) return controller.close();
      if (data.content) controller.enqueue(encoder.encode(data.content));
      seq += 1;
    },
  });
}
