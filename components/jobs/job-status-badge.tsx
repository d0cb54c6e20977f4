import type { JobStatus } from "@/lib/jobs/state";

const statusStyles: Record<JobStatus, string> = {
  pending: "bg-zinc-100 dark:bg-zinc-800 text-zinc-700 dark:text-zinc-300",
  processing: "bg-blue-50 dark:bg-blue-950 text-blue-700 dark:text-blue-300",
  retrying: "bg-amber-50 dark:bg-amber-950 text-amber-800 dark:text-amber-200",
  completed: "bg-emerald-50 dark:bg-emerald-950 text-emerald-700 dark:text-emerald-300",
  failed: "bg-red-50 dark:bg-red-950 text-red-700 dark:text-red-300",
  cancelled: "bg-zinc-100 dark:bg-zinc-800 text-zinc-600 dark:text-zinc-400",
};

/** A job's status as a pill; a running job shows how far along it is. */
export function JobStatusBadge({ status, progress }: { status: JobStatus; progress: number }) {
  return (
    <span
      className={`inline-flex shrink-0 rounded-full px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${statusStyles[status]}`}
    >
      {status === "processing" ? `processing · ${progress}%` : status}
    </span>
  );
}
