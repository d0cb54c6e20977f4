import { z } from "zod";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { assertMayChangeJob, currentOrgId, getVisibleJob, jobEtag } from "@/lib/jobs/access";
import { setNotifyByEmail } from "@/lib/jobs/store";
import { toStatusView } from "@/lib/jobs/view";

const params = z.object({ id: z.uuid() });

/** A job's status for polling: `ETag` on every answer, 304 when it hasn't changed. */
export const GET = route({ params }, async ({ request, supabase, membership, params }) => {
  const job = await getVisibleJob(supabase, params.id, currentOrgId(membership));
  const etag = jobEtag(job);
  const headers = { ETag: etag };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return Response.json(toStatusView(job), { headers });
});

/**
 * `{ notifyByEmail }`: email me when it's done (or don't), while the job is running. Only
 * the person who asked for it (the email goes to them): 403 for their teammates.
 */
export const PATCH = route(
  { params, body: z.object({ notifyByEmail: z.boolean() }).strict() },
  async ({ supabase, service, user, membership, params, body }) => {
    const caller = membership();
    const job = await getVisibleJob(supabase, params.id, caller.then((m) => m.organisation.id));
    assertMayChangeJob(job, { userId: user.id, membership: await caller }, "notify");
    const result = await setNotifyByEmail(service(), params.id, body.notifyByEmail);
    if (!result.ok) throw new HttpError(409, "job_finished", "This job has already finished.");
    return Response.json({ job: toStatusView(result.job) });
  },
);
