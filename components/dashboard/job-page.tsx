import { notFound, redirect } from "next/navigation";
import { JobStatusPanel } from "@/components/jobs/job-status-panel";
import { requireViewer } from "@/lib/auth/viewer";
import { env } from "@/lib/env";
import { jobEtag } from "@/lib/jobs/access";
import { jobPagePath } from "@/lib/jobs/client/paths";
import { getJob } from "@/lib/jobs/store";
import { toStatusView } from "@/lib/jobs/view";
import { createServerSupabase } from "@/lib/supabase/server";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A job's page, for /dashboard/jobs/[id] and /dashboard/reports/[id]. No loading.tsx
 * above either route (see PageSkeleton): the lookup runs before anything is streamed, so
 * an unknown or foreign job answers a real 404, not a 200 with not-found UI. A job asked
 * for under the other route (an old link) is sent to its own.
 */
export async function JobPage({ params, path }: { params: Promise<{ id: string }>; path: (id: string) => string }) {
  const { id } = await params;
  // Anything else names no job, and the database would refuse it as an id.
  if (!uuid.test(id)) notFound();

  const viewer = await requireViewer();
  // Read as the viewer: row-level security answers "no such job" for organisations they
  // aren't in, and one of their other teams' jobs is no more here than in the API until
  // they switch to it (getVisibleJob).
  const job = await getJob(await createServerSupabase(), { id });
  if (!job || job.org_id !== viewer.membership.organisation.id) notFound();
  if (jobPagePath(job) !== path(id)) redirect(jobPagePath(job));

  return (
    <JobStatusPanel
      // The same ETag the status route sends, so the first poll can already be a 304.
      initial={{ job: toStatusView(job), etag: jobEtag(job) }}
      email={viewer.email}
      timeZone={viewer.timeZone}
      emailOfferAfterSeconds={env().REPORT_EMAIL_OFFER_AFTER_SECONDS}
    />
  );
}
