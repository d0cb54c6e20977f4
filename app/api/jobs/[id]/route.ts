import { z } from "zod";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { currentOrgId, getVisibleJob, jobEtag } from "@/lib/jobs/access";
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

/** `{ notifyByEmail }`: email me when it's done (or don't), while the job is running. */
export const PATCH = route(
  { params, body: z.object({ notifyByEmail: z.boolean() }).strict() },
  async ({ supabase, service, membership, params, body }) => {
    await getVisibleJob(supabase, params.id, currentOrgId(membership));
    const result = await setNotifyByEmail(service(), params.id, body.notifyByEmail);
    if (!result.ok) throw new HttpError(409, "job_finished", "This job has already finished.");
    return Response.json({ job: toStatusView(result.job) });
  },
);
