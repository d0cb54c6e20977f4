import type { ReportParams } from "./request";

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/**
 * How big a finished report is, in the file's own terms: "1,234 rows" for an export (a
 * row per activity), "180 rows summarising 535,159 activities" for a summary (a row per
 * day and type). The page and the email say the same. `activityCount` is missing on
 * reports finished before it was recorded.
 */
export function describeReportSize(
  kind: ReportParams["kind"],
  { rowCount, activityCount }: { rowCount: number; activityCount?: number },
): string {
  const rows = count(rowCount, "row", "rows");
  if (kind !== "summary" || activityCount === undefined) return rows;
  return `${rows} summarising ${count(activityCount, "activity", "activities")}`;
}
