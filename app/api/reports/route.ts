import { inngest } from "@/inngest/client";
import { reportRequested } from "@/inngest/events";
import { parseIdempotencyKey } from "@/lib/http/idempotency-key";
import { route } from "@/lib/http/route";
import { enqueueReport } from "@/lib/reports/enqueue";
import { reportRequestSchema } from "@/lib/reports/request";

/**
 * Asks for a report: 202 `{ jobId, statusUrl }` at once; the work happens in
 * `generate-report`. The same `Idempotency-Key` with the same body answers with the same
 * job; with another body, 422. Days are the asker's local days; a future one is a 400.
 * Over the organisation's rate limit: 429 with `Retry-After`, and nothing written.
 *
 * With a `callbackUrl`, the report's end is also sent there as a signed webhook: the answer's
 * `callback` holds the secret that signs it (Standard Webhooks) and where its deliveries
 * can be read. A URL that may not receive webhooks is a 422 `unsafe_url`.
 */
export const POST = route({ body: reportRequestSchema }, async ({ request, body, user, service }) => {
  const { jobId, callback } = await enqueueReport(
    service(),
    { userId: user.id, request: body, idempotencyKey: parseIdempotencyKey(request) },
    ({ jobId, orgId, plan, payload: { kind, from, to, format, timeZone } }) =>
      inngest.send(
        reportRequested.create({ jobId, orgId, userId: user.id, plan, kind, from, to, format, timeZone }, { id: jobId }),
      ),
  );
  const statusUrl = `/api/jobs/${jobId}`;
  const answer = callback ? { jobId, statusUrl, callback: { ...callback, deliveriesUrl: `/api/reports/${jobId}/callback` } } : { jobId, statusUrl };
  return Response.json(answer, { status: 202, headers: { Location: statusUrl } });
});
