import { HttpError } from "@/lib/http/errors";
import type { ReportRequest } from "@/lib/reports/request";
import type { JobStatusView } from "../view";

/**
 * The browser's side of the jobs and reports API. Every call throws the `HttpError` the
 * route handler threw, so callers tell a refusal (4xx, shown as is) from a network error.
 */

/** A 429: the caller should wait `retryAfterSeconds` (null when the server didn't say). */
export class RateLimitedError extends HttpError {
  readonly retryAfterSeconds: number | null;

  constructor(error: HttpError, retryAfterSeconds: number | null) {
    super(error.status, error.code, error.message, error.fields);
    this.name = "RateLimitedError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** `Retry-After` is either a number of seconds or an HTTP date. */
function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
}

async function errorOf(response: Response): Promise<HttpError> {
  const body: unknown = await response.json().catch(() => undefined);
  const error = HttpError.fromBody(response.status, body);
  if (response.status !== 429) return error;
  return new RateLimitedError(error, parseRetryAfter(response.headers.get("Retry-After")));
}

async function sendJson<Result>(
  method: "POST" | "PATCH",
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Result> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as Result;
}

/** A job as last polled, with the ETag that lets the next poll answer 304. */
export type PolledJob = { job: JobStatusView; etag: string | null };

/**
 * Polls one job. With `previous`, asks only for a change (If-None-Match); a 304 returns
 * `previous` itself, so the cache keeps the same object and nothing re-renders.
 */
export async function fetchJob(
  id: string,
  previous: PolledJob | undefined,
  signal?: AbortSignal,
): Promise<PolledJob> {
  const response = await fetch(`/api/jobs/${encodeURIComponent(id)}`, {
    headers: previous?.etag ? { "If-None-Match": previous.etag } : undefined,
    // The route sends no-store already; this keeps the browser's HTTP cache out of it too.
    cache: "no-store",
    signal,
  });
  if (response.status === 304 && previous) return previous;
  if (!response.ok) throw await errorOf(response);
  return { job: (await response.json()) as JobStatusView, etag: response.headers.get("ETag") };
}

export type JobPage = { jobs: JobStatusView[]; nextCursor: string | null };

export const JOB_PAGE_SIZE = 20;

export async function fetchJobPage(
  { type, cursor }: { type?: string; cursor?: string | null },
  signal?: AbortSignal,
): Promise<JobPage> {
  const query = new URLSearchParams({ limit: String(JOB_PAGE_SIZE) });
  if (type) query.set("type", type);
  if (cursor) query.set("cursor", cursor);
  const response = await fetch(`/api/jobs?${query}`, { cache: "no-store", signal });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as JobPage;
}

/** `ReportRequest` as sent: the server fills in the defaults. */
export type ReportRequestBody = Omit<ReportRequest, "format" | "notifyByEmail"> &
  Partial<Pick<ReportRequest, "format" | "notifyByEmail">>;

export type ReportAccepted = { jobId: string; statusUrl: string };

/** The same `idempotencyKey` again answers with the same job instead of starting another. */
export function requestReport(
  body: ReportRequestBody,
  idempotencyKey: string,
): Promise<ReportAccepted> {
  return sendJson("POST", "/api/reports", body, { "Idempotency-Key": idempotencyKey });
}

export async function cancelJob(id: string): Promise<JobStatusView> {
  const { job } = await sendJson<{ job: JobStatusView }>(
    "POST",
    `/api/jobs/${encodeURIComponent(id)}/cancel`,
  );
  return job;
}

export async function setNotifyByEmail(id: string, notifyByEmail: boolean): Promise<JobStatusView> {
  const { job } = await sendJson<{ job: JobStatusView }>(
    "PATCH",
    `/api/jobs/${encodeURIComponent(id)}`,
    {
      notifyByEmail,
    },
  );
  return job;
}
