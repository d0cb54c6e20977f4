import type { Database } from "@/lib/supabase/database.types";

type Job = Pick<
  Database["public"]["Tables"]["jobs"]["Row"],
  "id" | "type" | "status" | "progress" | "created_at"
>;

const statusStyles: Record<Job["status"], string> = {
  pending: "bg-zinc-100 text-zinc-700",
  processing: "bg-blue-50 text-blue-700",
  retrying: "bg-amber-50 text-amber-800",
  completed: "bg-emerald-50 text-emerald-700",
  failed: "bg-red-50 text-red-700",
  cancelled: "bg-zinc-100 text-zinc-500",
};

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
      <h2 id="recent-jobs" className="border-b border-zinc-200 px-6 py-4 font-semibold">
        Recent jobs
      </h2>
      {jobs.length === 0 ? (
        <div className="px-6 py-12 text-center">
          <p className="font-medium text-zinc-900">No jobs yet</p>
          <p className="mx-auto mt-1 max-w-sm text-sm text-zinc-500">
            Background work you start, such as reports, will appear here with its progress.
          </p>
        </div>
      ) : (
        <ul className="divide-y divide-zinc-100">
          {jobs.map((job) => (
            <li key={job.id} className="flex items-center justify-between gap-4 px-6 py-4">
              <div>
                <p className="font-medium text-zinc-900">{job.type}</p>
                <p className="text-sm text-zinc-500">
                  <time dateTime={new Date(job.created_at).toISOString()}>
                    {formatDate.format(new Date(job.created_at))}
                  </time>
                </p>
              </div>
              <span
                className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${statusStyles[job.status]}`}
              >
                {job.status === "processing" ? `processing · ${job.progress}%` : job.status}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
