import type { JobStatus } from "@/lib/jobs/state";

const statusStyles: Record<JobStatus, string> = {
  pending: "bg-zinc-100 text-zinc-700",
  processing: "bg-blue-50 text-blue-700",
  retrying: "bg-amber-50 text-amber-800",
  completed: "bg-emerald-50 text-emerald-700",
  failed: "bg-red-50 text-red-700",
  cancelled: "bg-zinc-100 text-zinc-500",
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
