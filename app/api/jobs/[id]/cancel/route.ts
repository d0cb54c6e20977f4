import { z } from "zod";
import { inngest } from "@/inngest/client";
import { jobCancelRequested } from "@/inngest/events";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { assertMayChangeJob, getVisibleJob } from "@/lib/jobs/access";
import { cancelJob } from "@/lib/jobs/store";
import { toStatusView } from "@/lib/jobs/view";

/**
 * Cancels a job: it is `cancelled` at once (later writes from the run are refused), and
 * the run is told to stop before its next step. The person who asked for it, or the
 * team's owners and admins (403 for other members).
 */
export const POST = route({ params: z.object({ id: z.uuid() }) }, async ({ supabase, service, user, membership, params }) => {
  const caller = membership();
  const job = await getVisibleJob(supabase, params.id, caller.then((m) => m.organisation.id));
  assertMayChangeJob(job, { userId: user.id, membership: await caller }, "cancel");
  const result = await cancelJob(service(), params.id);
  if (!result.ok) throw new HttpError(409, "job_finished", "This job has already finished.");
  await inngest.send(jobCancelRequested.create({ jobId: params.id }));
  return Response.json({ job: toStatusView(result.job) });
});
