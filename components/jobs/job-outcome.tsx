"use client";

import { useEffect, useRef } from "react";
import { RequestAgainButton } from "@/components/reports/request-again-button";
import { buttonClass } from "@/components/ui/button";
import { reportParamsOf, reportResultOf } from "@/lib/jobs/client/describe";
import type { JobStatusView } from "@/lib/jobs/view";
import { describeReportSize } from "@/lib/reports/size";

/**
 * How a finished job ended and what to do next: download, try again, or request again.
 * `focus` moves focus here when the user's own action ended the job, since the button
 * they used is gone.
 */
export function JobOutcome({ job, focus = false }: { job: JobStatusView; focus?: boolean }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const report = reportParamsOf(job);
  const file = reportResultOf(job);

  useEffect(() => {
    if (focus) headingRef.current?.focus();
  }, [focus]);

  const heading = (text: string) => (
    <h2 ref={headingRef} tabIndex={-1} className="font-semibold text-zinc-900 dark:text-zinc-100 focus:outline-none">
      {text}
    </h2>
  );

  switch (job.status) {
    case "completed":
      return (
        <div className="flex flex-wrap items-center justify-between gap-4 rounded-lg bg-emerald-50 dark:bg-emerald-950 p-4">
          <div>
            {heading(report ? "Your report is ready" : "Completed")}
            {file && (
              <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
                <span className="font-mono break-all">{file.fileName}</span> ·{" "}
                {describeReportSize(report?.kind ?? "activity", file)}
              </p>
            )}
          </div>
          {file && (
            <a href={file.downloadUrl} download={file.fileName} className={buttonClass("primary")}>
              Download CSV
            </a>
          )}
        </div>
      );
    case "failed":
      return (
        <div className="flex flex-wrap items-center justify-between gap-4 rounded-lg bg-red-50 dark:bg-red-950 p-4">
          <div>
            {heading(report ? "This report failed" : "This job failed")}
            {job.error && <p className="mt-1 text-sm text-red-800 dark:text-red-200">{job.error}</p>}
          </div>
          {report && <RequestAgainButton params={report}>Try again</RequestAgainButton>}
        </div>
      );
    case "cancelled":
      return (
        <div className="flex flex-wrap items-center justify-between gap-4 rounded-lg bg-zinc-100 dark:bg-zinc-800 p-4">
          <div>
            {heading(report ? "This report was cancelled" : "This job was cancelled")}
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {report
                ? "Work done so far was discarded. You can ask for the same report again."
                : "It stopped before finishing."}
            </p>
          </div>
          {report && <RequestAgainButton params={report}>Request again</RequestAgainButton>}
        </div>
      );
    default:
      return null;
  }
}
