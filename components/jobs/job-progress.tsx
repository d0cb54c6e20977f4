"use client";

import { formatElapsed, formatTimeLeft, isoDuration } from "@/lib/duration";
import { isTerminal, type JobStatus } from "@/lib/jobs/state";
import type { JobStatusView } from "@/lib/jobs/view";
import { ProgressBar } from "./progress-bar";

const toneOf = (status: JobStatus) =>
  status === "completed"
    ? "done"
    : status === "failed"
      ? "failed"
      : status === "cancelled"
        ? "stopped"
        : "active";

function stepOf(job: JobStatusView): string | null {
  switch (job.status) {
    case "pending":
      return "Waiting to start";
    case "retrying":
      // The safe message says it is retrying and which attempt is next.
      return job.error;
    case "completed":
      return "Finished";
    case "failed":
    case "cancelled":
      // The last step it reported is where it stopped, not what it is doing.
      return job.message
        ? `Stopped at ${job.message.charAt(0).toLowerCase()}${job.message.slice(1)}`
        : "Stopped";
    default:
      return job.message;
  }
}

/** The bar, the step it is on, how long it has run and, when known, how long is left. */
export function JobProgress({ job, now }: { job: JobStatusView; now: number | null }) {
  const step = stepOf(job);
  const from = Date.parse(job.startedAt ?? job.createdAt);
  const to = job.finishedAt ? Date.parse(job.finishedAt) : now;
  const seconds = to === null ? null : Math.max(0, (to - from) / 1000);
  const timeLeft = isTerminal(job.status) ? null : formatTimeLeft(job.etaSeconds);

  return (
    <div>
      <ProgressBar
        label="Progress"
        value={job.status === "pending" ? null : job.progress}
        description={step}
        tone={toneOf(job.status)}
      />
      <div className="mt-3 flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1 text-sm">
        <p className={job.status === "retrying" ? "text-amber-800 dark:text-amber-200" : "text-zinc-700 dark:text-zinc-300"}>{step}</p>
        {/* Empty until hydrated (the clock is the browser's), so the line keeps its height. */}
        <p className="min-h-5 text-zinc-500 dark:text-zinc-400 tabular-nums">
          {seconds !== null && (
            <>
              {job.finishedAt ? "Ran for" : "Elapsed"}{" "}
              <time dateTime={isoDuration(seconds)}>{formatElapsed(seconds)}</time>
            </>
          )}
          {seconds !== null && timeLeft && " · "}
          {timeLeft}
        </p>
      </div>
    </div>
  );
}
