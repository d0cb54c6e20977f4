"use client";

import { useMemo, useState, type ReactNode } from "react";
import { formatDuration } from "@/lib/duration";
import type { MetricsSeriesPoint } from "@/lib/metrics/queries";
import { SelectField } from "@/components/ui/select-field";
import { TimeSeriesChart, type ChartSeries } from "./time-series-chart";
import { textLinkClass } from "@/components/ui/text-link";

const COLORS = { completed: "#059669", failed: "#dc2626", p95: "#4f46e5" };

const formatCount = (value: number) => (Number.isInteger(value) ? value.toLocaleString("en") : "");

type Bucket = { at: number; completed: number; failed: number; p95Ms: number | null };

/**
 * Two charts for one job type at a time (finished jobs, p95 duration), each with a
 * sentence saying what it shows and the figures behind it in a table, so nothing here is
 * only visible.
 */
export function MetricsCharts({
  series,
  bucketSeconds,
  timeZone,
  windowLabel,
}: {
  series: MetricsSeriesPoint[];
  bucketSeconds: number;
  timeZone: string;
  windowLabel: string;
}) {
  const byType = useMemo(() => groupByType(series, bucketSeconds), [series, bucketSeconds]);
  const busiest = [...byType].sort((a, b) => total(b[1]) - total(a[1]))[0]?.[0];
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  // The chosen type may drop out of a new window; fall back to the busiest.
  const jobType = chosen && byType.has(chosen) ? chosen : busiest;
  const buckets = jobType ? byType.get(jobType) : undefined;

  const formatTime = useMemo(
    () =>
      new Intl.DateTimeFormat("en", {
        // Hourly buckets and longer span days: say which.
        ...(bucketSeconds >= 3_600 ? { month: "short", day: "numeric" } : {}),
        hour: "2-digit",
        minute: "2-digit",
        timeZone,
      }),
    [bucketSeconds, timeZone],
  );
  const charts = useMemo(() => {
    if (!buckets) return null;
    const timestamps = buckets.map((b) => b.at);
    const finished: ChartSeries[] = [
      { label: "Completed", values: buckets.map((b) => b.completed), color: COLORS.completed },
      { label: "Failed", values: buckets.map((b) => b.failed), color: COLORS.failed },
    ];
    const p95: ChartSeries[] = [{ label: "p95", values: buckets.map((b) => b.p95Ms), color: COLORS.p95 }];
    return { timestamps, finished, p95 };
  }, [buckets]);

  if (!jobType || !buckets || !charts) return null;
  const at = (bucket: Bucket) => formatTime.format(new Date(bucket.at - (bucketSeconds * 1000) / 2));

  return (
    <div className="space-y-8">
      <SelectField
        name="job-type"
        label="Job type"
        value={jobType}
        onChange={(event) => setChosen(event.target.value)}
        options={[...byType.keys()].sort().map((type) => ({ value: type, label: type }))}
        className="max-w-xs"
      />

      <ChartFigure
        title="Jobs finished"
        summary={finishedSummary(buckets, windowLabel, at)}
        chart={
          <TimeSeriesChart
            kind="bars"
            timestamps={charts.timestamps}
            bucketSeconds={bucketSeconds}
            series={charts.finished}
            formatValue={formatCount}
            timeZone={timeZone}
          />
        }
        columns={["Completed", "Failed"]}
        rows={buckets.map((b) => [at(b), b.completed.toLocaleString("en"), b.failed.toLocaleString("en")])}
      />
      <ChartFigure
        title="p95 duration"
        summary={p95Summary(buckets, at)}
        chart={
          <TimeSeriesChart
            kind="line"
            timestamps={charts.timestamps}
            bucketSeconds={bucketSeconds}
            series={charts.p95}
            formatValue={formatDuration}
            timeZone={timeZone}
          />
        }
        columns={["p95"]}
        rows={buckets.map((b) => [at(b), formatDuration(b.p95Ms)])}
      />
    </div>
  );
}

function ChartFigure({
  title,
  summary,
  chart,
  columns,
  rows,
}: {
  title: string;
  summary: string;
  chart: ReactNode;
  columns: string[];
  rows: string[][];
}) {
  return (
    <figure>
      <figcaption>
        <span className="font-medium text-zinc-900 dark:text-zinc-100">{title}</span>
        <span className="block text-sm text-zinc-500 dark:text-zinc-400">{summary}</span>
      </figcaption>
      <div className="mt-3">{chart}</div>
      <details className="mt-2 text-sm">
        <summary className={`cursor-pointer ${textLinkClass}`}>Show the figures</summary>
        <div className="mt-2 max-h-72 overflow-y-auto">
          <table className="w-full">
            <caption className="sr-only">{title}, per period</caption>
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1 text-left font-medium">Period starting</th>
                {columns.map((column) => (
                  <th key={column} scope="col" className="py-1 text-right font-medium">{column}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800 tabular-nums">
              {rows.map(([period, ...cells]) => (
                <tr key={period}>
                  <th scope="row" className="py-1 text-left font-normal">{period}</th>
                  {cells.map((cell, index) => (
                    <td key={columns[index]} className="py-1 text-right">{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function groupByType(series: MetricsSeriesPoint[], bucketSeconds: number): Map<string, Bucket[]> {
  const byType = new Map<string, Bucket[]>();
  for (const point of series) {
    const buckets = byType.get(point.jobType) ?? [];
    // Plot each bucket at its middle, so a bar sits over the period it counts.
    const at = Date.parse(point.bucketStart) + (bucketSeconds * 1000) / 2;
    buckets.push({ at, completed: point.completed, failed: point.failed, p95Ms: point.p95Ms });
    byType.set(point.jobType, buckets);
  }
  return byType;
}

const total = (buckets: Bucket[]) => buckets.reduce((sum, b) => sum + b.completed + b.failed, 0);

function finishedSummary(buckets: Bucket[], windowLabel: string, at: (bucket: Bucket) => string): string {
  const completed = buckets.reduce((sum, b) => sum + b.completed, 0);
  const failed = buckets.reduce((sum, b) => sum + b.failed, 0);
  const peak = buckets.reduce((best, b) => (b.completed + b.failed > best.completed + best.failed ? b : best));
  return `${windowLabel}: ${completed.toLocaleString("en")} completed and ${failed.toLocaleString("en")} failed; busiest period ${at(peak)} with ${(peak.completed + peak.failed).toLocaleString("en")}.`;
}

function p95Summary(buckets: Bucket[], at: (bucket: Bucket) => string): string {
  const measured = buckets.filter((b): b is Bucket & { p95Ms: number } => b.p95Ms !== null);
  if (measured.length === 0) return "No job completed, so there is no duration to show.";
  const slowest = measured.reduce((best, b) => (b.p95Ms > best.p95Ms ? b : best));
  const fastest = measured.reduce((best, b) => (b.p95Ms < best.p95Ms ? b : best));
  return `Between ${formatDuration(fastest.p95Ms)} and ${formatDuration(slowest.p95Ms)}; slowest in the period starting ${at(slowest)}.`;
}
