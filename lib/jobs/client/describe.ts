import type { ReportParams } from "@/lib/reports/request";
import type { ReportResult } from "@/lib/reports/store";
import { Constants, type Json } from "@/lib/supabase/database.types";
import { jobTypeLabel, jobTypes } from "../registry";
import type { JobStatusView } from "../view";

/**
 * Reading a job's JSON columns in the browser. The server wrote them, but old jobs and
 * other job types have other shapes, so each reader checks before it trusts.
 */

const isObject = (value: Json | undefined): value is { [key: string]: Json | undefined } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isReportKind = (value: Json | undefined): value is ReportParams["kind"] =>
  typeof value === "string" && (Constants.public.Enums.report_kind as readonly string[]).includes(value);

const isDate = (value: Json | undefined): value is string =>
  typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** What a report job was asked for, or null if `job` isn't a report. */
export function reportParamsOf(job: Pick<JobStatusView, "type" | "payload">): ReportParams | null {
  const { payload } = job;
  if (job.type !== jobTypes.report.type || !isObject(payload)) return null;
  const { kind, from, to } = payload;
  if (!isReportKind(kind) || !isDate(from) || !isDate(to)) return null;
  return { kind, from, to, format: "csv" };
}

/** A completed report's file. Reports finished before `activityCount` was recorded lack it. */
export type ReportFile = Omit<ReportResult, "activityCount"> & { activityCount?: number };

/** A completed report's file, or null. */
export function reportResultOf(job: Pick<JobStatusView, "type" | "result">): ReportFile | null {
  const { result } = job;
  if (job.type !== jobTypes.report.type || !isObject(result)) return null;
  const { downloadUrl, fileName, rowCount, activityCount, totalAmount } = result;
  if (
    typeof downloadUrl !== "string" ||
    typeof fileName !== "string" ||
    typeof rowCount !== "number"
  )
    return null;
  return {
    downloadUrl,
    fileName,
    rowCount,
    ...(typeof activityCount === "number" ? { activityCount } : {}),
    totalAmount: typeof totalAmount === "number" ? totalAmount : 0,
  };
}

export const reportKindLabels: Record<ReportParams["kind"], string> = {
  activity: "All activity",
  summary: "Daily summary",
};

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "Oct 1 – 30, 2026" for an inclusive range of ISO dates. By hand rather than with
 * Intl's formatRange: its spacing differs between Node's ICU and the browser's, and the
 * server's HTML must match what the browser renders.
 */
export function formatDateRange(from: string, to: string): string {
  const [fromYear, fromMonth, fromDay] = from.split("-").map(Number);
  const [toYear, toMonth, toDay] = to.split("-").map(Number);
  const month = (m: number | undefined) => months[(m ?? 1) - 1];
  if (from === to) return `${month(fromMonth)} ${fromDay}, ${fromYear}`;
  if (fromYear !== toYear)
    return `${month(fromMonth)} ${fromDay}, ${fromYear} – ${month(toMonth)} ${toDay}, ${toYear}`;
  if (fromMonth !== toMonth)
    return `${month(fromMonth)} ${fromDay} – ${month(toMonth)} ${toDay}, ${toYear}`;
  return `${month(fromMonth)} ${fromDay} – ${toDay}, ${toYear}`;
}

/** A job's name for people: "All activity report" and "Oct 1 – 30, 2026"; "Welcome email". */
export function describeJob(job: Pick<JobStatusView, "type" | "payload">): {
  title: string;
  detail: string | null;
} {
  const report = reportParamsOf(job);
  if (report)
    return {
      title: `${reportKindLabels[report.kind]} report`,
      detail: formatDateRange(report.from, report.to),
    };
  return { title: jobTypeLabel(job.type), detail: null };
}
