import Link from "next/link";
import { JobStatusBadge } from "@/components/jobs/job-status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { describeJob } from "@/lib/jobs/client/describe";
import { jobPagePath } from "@/lib/jobs/client/paths";
import type { Database } from "@/lib/supabase/database.types";

type Job = Pick<
  Database["public"]["Tables"]["jobs"]["Row"],
  "id" | "type" | "payload" | "status" | "progress" | "created_at"
>;

export function RecentJobs({ jobs, timeZone }: { jobs: Job[]; timeZone: string }) {
  const formatDate = new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  });

  return (
    <section
      aria-labelledby="recent-jobs"
      className="rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200"
    >
      <div className="flex items-center justify-between gap-4 border-b border-zinc-200 px-6 py-4">
        <h2 id="recent-jobs" className="font-semibold">
          Recent jobs
        </h2>
        {jobs.length > 0 && (
          <Link
            href="/dashboard/jobs"
            className="text-sm font-medium text-brand-600 hover:text-brand-700"
          >
            All jobs
          </Link>
        )}
      </div>
      {jobs.length === 0 ? (
        <EmptyState title="No jobs yet">
          Background work you start, such as{" "}
          <Link
            href="/dashboard/reports"
            className="font-medium text-brand-600 hover:text-brand-700"
          >
            reports
          </Link>
          , will appear here with its progress.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-100">
          {jobs.map((job) => (
            <li key={job.id}>
              <Link
                href={jobPagePath(job)}
                className="flex items-center justify-between gap-4 px-6 py-4 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600"
              >
                <div>
                  <p className="font-medium text-zinc-900">
                    <JobName job={job} />
                  </p>
                  <p className="text-sm text-zinc-500">
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
      {detail && <span className="font-normal text-zinc-600"> · {detail}</span>}
    </>
  );
}
