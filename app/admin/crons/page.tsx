import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunCronButton } from "@/components/admin/run-cron-button";
import { PageHeader } from "@/components/ui/page-header";
import { manualCrons, type ManualCron } from "@/inngest/events";
import { requireViewerAdminScope } from "@/lib/admin/access";

export const metadata: Metadata = { title: "Crons" };

const crons: Record<ManualCron, { name: string; schedule: string; description: string }> = {
  "daily-digest": {
    name: "Daily digest",
    schedule: "Every hour",
    description:
      "Sends each opted-in user whose local morning has come today's digest. Running it again sends nobody a second one.",
  },
  "cleanup-jobs": {
    name: "Clean up old jobs",
    schedule: "Daily at 03:30 UTC",
    description: "Deletes completed and cancelled jobs after 30 days and failed ones after 90. Only what is due.",
  },
};

/** The crons, each with "Run now": install-wide, so for platform admins only. */
export default async function CronsPage() {
  const scope = await requireViewerAdminScope();
  if (!scope.platformAdmin) notFound();

  return (
    <div className="space-y-8">
      <PageHeader
        title="Crons"
        description="Scheduled work, which you can also run now: a manual run is an ordinary run, recorded in the audit log."
      />
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800 rounded-2xl bg-white dark:bg-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
        {manualCrons.map((id) => (
          <li key={id} className="flex flex-wrap items-start justify-between gap-4 px-6 py-5">
            <div className="max-w-xl">
              <h2 className="font-semibold">{crons[id].name}</h2>
              <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">
                <code>{id}</code> · {crons[id].schedule}
              </p>
              <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{crons[id].description}</p>
            </div>
            <RunCronButton cron={id} label={crons[id].name} />
          </li>
        ))}
      </ul>
    </div>
  );
}
