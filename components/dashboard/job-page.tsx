import { notFound, redirect } from "next/navigation";
import { JobStatusPanel } from "@/components/jobs/job-status-panel";
import { OtherOrganisationJob } from "@/components/teams/other-organisation-job";
import { requireViewer } from "@/lib/auth/viewer";
import { env } from "@/lib/env";
import { jobChangeRefusal, jobElsewhere, jobEtag } from "@/lib/jobs/access";
import { jobPagePath } from "@/lib/jobs/client/paths";
import { jobTypes } from "@/lib/jobs/registry";
import { getJob } from "@/lib/jobs/store";
import { toStatusView } from "@/lib/jobs/view";
import { createServerSupabase } from "@/lib/supabase/server";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A job's page, for /dashboard/jobs/[id] and /dashboard/reports/[id]. No loading.tsx
 * above either route (see PageSkeleton): the lookup runs before anything is streamed, so
 * an unknown or foreign job answers a real 404, not a 200 with not-found UI. A job asked
 * for under the other route (an old link) is sent to its own. A job in another of the
 * viewer's organisations (a report email opened after a switch) is no 404: the page
 * (a 200, private and uncached like every dashboard page) says whose it is and offers
 * the switch.
 */
export async function JobPage({ params, path }: { params: Promise<{ id: string }>; path: (id: string) => string }) {
  const { id } = await params;
  // Anything else names no job, and the database would refuse it as an id.
  if (!uuid.test(id)) notFound();

  const viewer = await requireViewer();
  const current = viewer.membership.organisation;
  // Read as the viewer: row-level security answers "no such job" for organisations they
  // aren't in (a removed member included), and that stays a 404 that tells nothing.
  const db = await createServerSupabase();
  const job = await getJob(db, { id });
  if (!job) notFound();
  // One of their other organisations' jobs: as in the API, it isn't shown until they switch
  // (everything on the page, polls and actions, follows the current one). Anything else
  // jobElsewhere doesn't vouch for (not among their memberships) stays a 404.
  const elsewhere = jobElsewhere(job, viewer);
  if (job.org_id !== current.id && !elsewhere) notFound();
  if (jobPagePath(job) !== path(id)) redirect(jobPagePath(job));

  const caller = { userId: viewer.user.id, membership: viewer.membership };
  if (elsewhere) {
    return (
      <OtherOrganisationJob
        kind={job.type === jobTypes.report.type ? "report" : "job"}
        organisation={elsewhere.organisation}
        currentName={current.name}
        jobPath={path(id)}
      />
    );
  }

  return (
    <JobStatusPanel
      // The same ETag the status route sends, so the first poll can already be a 304.
      initial={{ job: toStatusView(job), etag: jobEtag(job) }}
      email={viewer.email}
      timeZone={viewer.timeZone}
      emailOfferAfterSeconds={env().REPORT_EMAIL_OFFER_AFTER_SECONDS}
      may={{
        cancel: jobChangeRefusal(job, caller, "cancel") === null,
        notify: jobChangeRefusal(job, caller, "notify") === null,
      }}
    />
  );
}
