import { JOB_PAGE_SIZE, type JobPage } from "@/lib/jobs/client/api";
import { listJobs } from "@/lib/jobs/store";
import { toStatusView } from "@/lib/jobs/view";
import { createServerSupabase } from "@/lib/supabase/server";

/** A list's first page, read with the viewer's session, exactly as `GET /api/jobs` answers it. */
export async function loadFirstJobPage(orgId: string, type?: string): Promise<JobPage> {
  const supabase = await createServerSupabase();
  const page = await listJobs(supabase, { orgId, limit: JOB_PAGE_SIZE, type });
  const now = new Date();
  return { jobs: page.jobs.map((job) => toStatusView(job, now)), nextCursor: page.nextCursor };
}
