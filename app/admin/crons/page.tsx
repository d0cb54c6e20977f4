import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunCronButton } from "@/components/admin/run-cron-button";
import { Timestamp } from "@/components/ui/timestamp";
import { PageHeader } from "@/components/ui/page-header";
import { cronSchedules, manualCrons, type ManualCron } from "@/inngest/events";
import { requireViewerAdminScope } from "@/lib/admin/access";
import { lastManualRuns, scheduleTimes } from "@/lib/admin/crons";
import { requireViewer } from "@/lib/auth/viewer";
import { env } from "@/lib/env";
import { createServiceSupabase } from "@/lib/supabase/service";

export const metadata: Metadata = { title: "Crons" };

/** Read per request: the retention comes from the environment, which a build doesn't have. */
const describeCrons = ({ JOB_RETENTION_COMPLETED_DAYS, JOB_RETENTION_FAILED_DAYS } = env()): Record<
  ManualCron,
  { name: string; schedule: string; description: string }
> => ({
  "daily-digest": {
    name: "Daily digest",
    schedule: "Every hour",
    description:
      "Sends each opted-in user whose local morning has come today's digest. Running it again sends nobody a second one.",
  },
  "cleanup-jobs": {
    name: "Clean up old jobs",
    schedule: "Daily at 03:30 UTC",
    description: `Deletes completed and cancelled jobs after ${JOB_RETENTION_COMPLETED_DAYS} days and failed ones after ${JOB_RETENTION_FAILED_DAYS}. Only what is due.`,
  },
});

/** The crons, each with "Run now": install-wide, so for platform admins only. */
export default async function CronsPage() {
  const [viewer, scope] = await Promise.all([requireViewer(), requireViewerAdminScope()]);
  if (!scope.platformAdmin) notFound();
  const manual = await lastManualRuns(createServiceSupabase());
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const crons = describeCrons();

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
              <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt className="text-zinc-500 dark:text-zinc-400">Next run</dt>
                <dd>
                  <Timestamp iso={iso(scheduleTimes(cronSchedules[id]).next)} timeZone={viewer.timeZone} />
                </dd>
                <dt className="text-zinc-500 dark:text-zinc-400">Last due on schedule</dt>
                <dd>
                  <Timestamp iso={iso(scheduleTimes(cronSchedules[id]).previous)} timeZone={viewer.timeZone} />
                </dd>
                <dt className="text-zinc-500 dark:text-zinc-400">Last run by hand</dt>
                <dd>
                  <Timestamp iso={manual[id]?.at ?? null} timeZone={viewer.timeZone} empty="Never" />
                  {manual[id]?.by && <span className="text-zinc-500 dark:text-zinc-400"> by {manual[id].by}</span>}
                </dd>
              </dl>
            </div>
            <RunCronButton cron={id} label={crons[id].name} timeZone={viewer.timeZone} />
          </li>
        ))}
      </ul>
    </div>
  );
}
