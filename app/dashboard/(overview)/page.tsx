import type { Metadata } from "next";
import { RecentJobs } from "@/components/dashboard/recent-jobs";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { listJobs } from "@/lib/jobs/store";
import { createServerSupabase } from "@/lib/supabase/server";

export const metadata: Metadata = { title: "Dashboard" };

const RECENT_JOBS = 5;

export default async function DashboardPage() {
  const viewer = await requireViewer();
  const { organisation, role } = viewer.membership;

  const { jobs } = await listJobs(await createServerSupabase(), { orgId: organisation.id, limit: RECENT_JOBS });

  return (
    <div className="space-y-8">
      <PageHeader title={`Welcome, ${viewer.displayName}`} description="Here is what is happening in your workspace." />

      <section
        aria-labelledby="organisation"
        className="rounded-2xl bg-white dark:bg-zinc-900 p-6 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800"
      >
        <h2 id="organisation" className="text-sm font-medium text-zinc-500 dark:text-zinc-400">
          Organisation
        </h2>
        <p className="mt-1 text-lg font-semibold">{organisation.name}</p>
        <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <div className="flex gap-1.5">
            <dt>Your role:</dt>
            <dd className="font-medium text-zinc-900 dark:text-zinc-100 capitalize">{role}</dd>
          </div>
          <div className="flex gap-1.5">
            <dt>Type:</dt>
            <dd className="font-medium text-zinc-900 dark:text-zinc-100">
              {organisation.personal ? "Personal workspace" : "Team"}
            </dd>
          </div>
        </dl>
      </section>

      <RecentJobs jobs={jobs} timeZone={viewer.timeZone} />
    </div>
  );
}
