import { z } from "zod";
import { answer, api, apiIfChanged } from "@/lib/http/client";
import { HttpError } from "@/lib/http/errors";
import type { ReportRequest } from "@/lib/reports/request";
import type { JobStatusView } from "../view";

/**
 * The browser's side of the jobs and reports API. Every call throws the `HttpError` the
 * route handler threw (see lib/http/client.ts), so callers tell a refusal (4xx, shown as
 * is) from a network error.
 */

export { RateLimitedError } from "@/lib/http/client";

/** A job as last polled, with the ETag that lets the next poll answer 304. */
export type PolledJob = { job: JobStatusView; etag: string | null };

const jobAnswer = z.object({ job: answer<JobStatusView>() });

/**
 * Polls one job. With `previous`, asks only for a change (If-None-Match); a 304 returns
 * `previous` itself, so the cache keeps the same object and nothing re-renders.
 */
export async function fetchJob(
  id: string,
  previous: PolledJob | undefined,
  signal?: AbortSignal,
): Promise<PolledJob> {
  const polled = await apiIfChanged(`/api/jobs/${encodeURIComponent(id)}`, answer<JobStatusView>(), {
    etag: previous?.etag,
    signal,
  });
  if (polled.modified) return { job: polled.data, etag: polled.etag };
  // A 304 comes only in answer to If-None-Match, which is sent only with `previous`.
  if (!previous) throw new HttpError(304, "unexpected_answer", "The server's answer made no sense. Please try again.");
  return previous;
}

export type JobPage = { jobs: JobStatusView[]; nextCursor: string | null };

const jobPageAnswer = z.object({ jobs: z.array(answer<JobStatusView>()), nextCursor: z.string().nullable() });

export const JOB_PAGE_SIZE = 20;

export function fetchJobPage(
  { type, cursor }: { type?: string; cursor?: string | null },
  signal?: AbortSignal,
): Promise<JobPage> {
  return api("/api/jobs", jobPageAnswer, { query: { limit: JOB_PAGE_SIZE, type: type || undefined, cursor }, signal });
}

/** `ReportRequest` as sent: the server fills in the defaults. */
export type ReportRequestBody = Omit<ReportRequest, "format" | "notifyByEmail"> &
  Partial<Pick<ReportRequest, "format" | "notifyByEmail">>;

const reportAcceptedSchema = z.object({ jobId: z.string(), statusUrl: z.string() });

export type ReportAccepted = z.output<typeof reportAcceptedSchema>;

/** The same `idempotencyKey` again answers with the same job instead of starting another. */
export function requestReport(body: ReportRequestBody, idempotencyKey: string): Promise<ReportAccepted> {
  return api("/api/reports", reportAcceptedSchema, {
    method: "POST",
    json: body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

export async function cancelJob(id: string): Promise<JobStatusView> {
  const { job } = await api(`/api/jobs/${encodeURIComponent(id)}/cancel`, jobAnswer, { method: "POST" });
  return job;
}

export async function setNotifyByEmail(id: string, notifyByEmail: boolean): Promise<JobStatusView> {
  const { job } = await api(`/api/jobs/${encodeURIComponent(id)}`, jobAnswer, {
    method: "PATCH",
    json: { notifyByEmail },
  });
  return job;
}
