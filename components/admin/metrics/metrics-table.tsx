import type { JobTypeMetrics } from "@/lib/metrics/queries";
import { formatDuration, formatSeconds } from "@/lib/duration";
import { formatPercent, formatThroughput } from "@/lib/metrics/format";

const th = "px-3 py-2 text-right font-medium whitespace-nowrap first:pl-6 first:text-left last:pr-6";
const td = "px-3 py-3 text-right tabular-nums whitespace-nowrap first:pl-6 first:text-left last:pr-6";

/** Every job type's figures over the window, one row each; queue columns are as of now. */
export function MetricsTable({ types, caption }: { types: JobTypeMetrics[]; caption: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 dark:border-zinc-800 text-zinc-500 dark:text-zinc-400">
          <tr>
            <th scope="col" className={th}>Job type</th>
            <th scope="col" className={th}>Throughput</th>
            <th scope="col" className={th}>Completed</th>
            <th scope="col" className={th}>Failed</th>
            <th scope="col" className={th}>Success</th>
            <th scope="col" className={th}>Failure</th>
            <th scope="col" className={th}>p50</th>
            <th scope="col" className={th}>p95</th>
            <th scope="col" className={th}>p99</th>
            <th scope="col" className={th}>
              <abbr title="Pending and retrying now" className="no-underline">Queue</abbr>
            </th>
            <th scope="col" className={th}>Oldest pending</th>
            <th scope="col" className={th}>Stuck</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {types.map((m) => (
            <tr key={m.jobType}>
              <th scope="row" className={`${td} font-medium text-zinc-900 dark:text-zinc-100`}>{m.jobType}</th>
              <td className={td}>{formatThroughput(m.throughputPerMinute)}</td>
              <td className={td}>{m.completed.toLocaleString("en")}</td>
              <td className={`${td} ${m.failed > 0 ? "text-red-700 dark:text-red-300" : ""}`}>{m.failed.toLocaleString("en")}</td>
              <td className={td}>{formatPercent(m.successRate)}</td>
              <td className={`${td} ${m.failureRate ? "text-red-700 dark:text-red-300" : ""}`}>{formatPercent(m.failureRate)}</td>
              <td className={td}>{formatDuration(m.p50Ms)}</td>
              <td className={td}>{formatDuration(m.p95Ms)}</td>
              <td className={td}>{formatDuration(m.p99Ms)}</td>
              <td className={td}>
                {m.queueDepth.toLocaleString("en")}
                {m.queueDepth > 0 && (
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                    {m.pending} pending · {m.retrying} retrying
                  </span>
                )}
              </td>
              <td className={td}>{formatSeconds(m.oldestPendingSeconds)}</td>
              <td className={`${td} ${m.stuck > 0 ? "font-semibold text-red-700 dark:text-red-300" : ""}`}>
                {m.stuck.toLocaleString("en")}
                <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">
                  after {formatSeconds(m.stuckAfterSeconds)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
