import Link from "next/link";
import { JobStatusBadge } from "@/components/jobs/job-status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { describeJob } from "@/lib/jobs/client/describe";
import { jobPagePath } from "@/lib/jobs/client/paths";
import type { Database } from "@/lib/supabase/database.types";
import { AllJobsLink } from "@/components/jobs/all-jobs-link";
import { textLinkClass } from "@/components/ui/text-link";
import { shortDateTimeFormat } from "@/components/ui/timestamp";

type Job = Pick<
  Database["public"]["Tables"]["jobs"]["Row"],
  "id" | "type" | "payload" | "status" | "progress" | "created_at"
>;

export function RecentJobs({ jobs, timeZone }: { jobs: Job[]; timeZone: string }) {
  const formatDate = shortDateTimeFormat(timeZone);

  return (
    <section
      aria-labelledby="recent-jobs"
      className="rounded-2xl bg-white dark:bg-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800"
    >
      <div className="flex items-center justify-between gap-4 border-b border-zinc-200 dark:border-zinc-800 px-6 py-4">
        <h2 id="recent-jobs" className="font-semibold">
          Recent jobs
        </h2>
        {jobs.length > 0 && (
          <AllJobsLink />
        )}
      </div>
      {jobs.length === 0 ? (
        <EmptyState title="No jobs yet">
          Background work you start, such as{" "}
          <Link
            href="/dashboard/reports"
            className={`font-medium ${textLinkClass}`}
          >
            reports
          </Link>
          , will appear here with its progress.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {jobs.map((job) => (
            <li key={job.id}>
              <Link
                href={jobPagePath(job)}
                className="flex items-center justify-between gap-4 px-6 py-4 hover:bg-zinc-50 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400"
              >
                <div>
                  <p className="font-medium text-zinc-900 dark:text-zinc-100">
                    <JobName job={job} />
                  </p>
                  <p className="text-sm text-zinc-500 dark:text-zinc-400">
                    <time dateTime={new Date(job.created_at).toISOString()}>
                      {formatDate.format(new Date(job.created_at))}
                    </time>
                  </p>
                </div>
                <JobStatusBadge status={job.status} progress={job.progress} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** As the jobs list names a job: "Welcome email", "All activity report · Oct 1 – 30, 2026". */
function JobName({ job }: { job: Job }) {
  const { title, detail } = describeJob(job);
  return (
    <>
      {title}
      {detail && <span className="font-normal text-zinc-600 dark:text-zinc-400"> · {detail}</span>}
    </>
  );
}
