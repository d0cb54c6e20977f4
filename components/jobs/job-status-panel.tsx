"use client";

import Link from "next/link";
import { useState } from "react";
import type { PolledJob } from "@/lib/jobs/client/api";
import { describeJob, reportParamsOf, reportResultOf } from "@/lib/jobs/client/describe";
import { useJob, useJobActions } from "@/lib/jobs/client/use-job";
import { useNow } from "@/lib/jobs/client/use-now";
import { isTerminal } from "@/lib/jobs/state";
import type { JobStatusView } from "@/lib/jobs/view";
import { describeReportSize } from "@/lib/reports/size";
import { CancelJobButton } from "./cancel-job-button";
import { EmailOffer } from "./email-offer";
import { JobOutcome } from "./job-outcome";
import { JobProgress } from "./job-progress";
import { JobStatusBadge } from "./job-status-badge";
import { textLinkClass } from "@/components/ui/text-link";
import { shortDateTimeFormat } from "@/components/ui/timestamp";

type JobStatusPanelProps = {
  initial: PolledJob;
  /** Where "email me" sends the email: the viewer's address. */
  email: string;
  timeZone: string;
  emailOfferAfterSeconds: number;
  /** What the viewer may do with it (lib/jobs/access jobChangeRefusal): a teammate's job is theirs to watch. */
  may: { cancel: boolean; notify: boolean };
};

/** What a screen reader hears when the status changes (not on every bit of progress). */
function announcement(job: JobStatusView): string {
  switch (job.status) {
    case "pending":
      return "Waiting to start.";
    case "processing":
      return "Running.";
    case "retrying":
      return job.error ?? "Retrying.";
    case "completed": {
      const file = reportResultOf(job);
      const report = reportParamsOf(job);
      return file
        ? `Completed. ${describeReportSize(report?.kind ?? "activity", file)}, ready to download.`
        : "Completed.";
    }
    case "failed":
      return job.error ? `Failed. ${job.error}` : "Failed.";
    case "cancelled":
      return "Cancelled.";
  }
}

/** A job's page: polls it until it ends, and offers what can be done at each stage. */
export function JobStatusPanel({
  initial,
  email,
  timeZone,
  emailOfferAfterSeconds,
  may,
}: JobStatusPanelProps) {
  const { job, reconnecting } = useJob(initial);
  const { cancel, notify } = useJobActions(job.id);
  const [cancelledHere, setCancelledHere] = useState(false);
  const now = useNow();
  const { title, detail } = describeJob(job);
  // Only reports stop between steps when cancelled, and only they email when done.
  const isReport = reportParamsOf(job) !== null;
  const running = !isTerminal(job.status);

  const requestedAt = shortDateTimeFormat(timeZone).format(new Date(job.createdAt));

  return (
    <div className="space-y-6">
      <Link
        href={isReport ? "/dashboard/reports" : "/dashboard/jobs"}
        className={`text-sm font-medium ${textLinkClass}`}
      >
        <span aria-hidden="true">← </span>
        {isReport ? "Reports" : "All jobs"}
      </Link>

      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            {detail && <>{detail} · </>}
            Requested{" "}
            <time dateTime={job.createdAt} suppressHydrationWarning>
              {requestedAt}
            </time>
          </p>
        </div>
        <JobStatusBadge status={job.status} progress={job.progress} />
      </div>

      <section
        aria-label="Status"
        className="space-y-6 rounded-2xl bg-white dark:bg-zinc-900 p-6 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800"
      >
        <JobProgress job={job} now={now} />
        {reconnecting && (
          <p className="text-sm text-amber-800 dark:text-amber-200">
            Reconnecting… Showing the last status we received.
          </p>
        )}
        {running && isReport && may.notify && (
          <EmailOffer
            job={job}
            email={email}
            offerAfterSeconds={emailOfferAfterSeconds}
            now={now}
            notify={notify}
          />
        )}
        <JobOutcome job={job} focus={cancelledHere} />
        {running && isReport && may.cancel && (
          <div className="flex justify-end">
            <CancelJobButton cancel={cancel} onCancelled={() => setCancelledHere(true)} />
          </div>
        )}
      </section>

      <p role="status" aria-live="polite" className="sr-only">
        {announcement(job)}
      </p>
    </div>
  );
}
