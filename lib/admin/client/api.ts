import { postJson } from "@/lib/http/client";
import { HttpError } from "@/lib/http/errors";
import type { AuditPage } from "../audit";
import type { CronRunStarted } from "../crons";
import type { AdminJobView, DeadLetterPage } from "../dead-letters";
import type { BulkPreview, ReplayOutcome } from "../replay";
import { AUDIT_PAGE_SIZE, DEAD_LETTER_PAGE_SIZE, type BulkReplayRequest } from "../schemas";
import type { DeadLetterListFilter } from "./keys";

/**
 * The browser's side of the admin API. Refusals arrive as the `HttpError` the route
 * threw, so the console can show its message as it is.
 */

async function getJson<Result>(url: string, signal?: AbortSignal): Promise<Result> {
  const response = await fetch(url, { cache: "no-store", signal });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw HttpError.fromBody(response.status, body);
  return body as Result;
}

export function fetchDeadLetters(
  filter: DeadLetterListFilter,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<DeadLetterPage> {
  const query = new URLSearchParams({ limit: String(DEAD_LETTER_PAGE_SIZE) });
  for (const [name, value] of Object.entries(filter)) if (typeof value === "string") query.set(name, value);
  if (cursor) query.set("cursor", cursor);
  return getJson(`/api/admin/dead-letters?${query}`, signal);
}

export const fetchAdminJob = (id: string, signal?: AbortSignal) =>
  getJson<AdminJobView>(`/api/admin/jobs/${encodeURIComponent(id)}`, signal);

export const replayJob = (id: string) =>
  postJson<ReplayOutcome & { statusUrl: string }>(`/api/admin/jobs/${encodeURIComponent(id)}/replay`);

export type BulkReplayAnswer =
  | { kind: "preview"; preview: BulkPreview }
  /** The matching jobs changed since the preview; this is what would be replayed now. */
  | { kind: "changed"; preview: BulkPreview; message: string }
  | { kind: "replayed"; replayed: ReplayOutcome[]; failed: { jobId: string; error: string }[] };

/** Previews (no `confirm`) or replays (with it). A 409 with a new preview is an answer, not an error. */
export async function bulkReplay(request: Partial<BulkReplayRequest> & Pick<BulkReplayRequest, "filter">): Promise<BulkReplayAnswer> {
  const response = await fetch("/api/admin/dead-letters/replay", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = (await response.json().catch(() => undefined)) as
    | { preview?: BulkPreview; error?: { message: string }; replayed?: ReplayOutcome[]; failed?: { jobId: string; error: string }[] }
    | undefined;
  if (response.status === 409 && body?.preview) {
    return { kind: "changed", preview: body.preview, message: body.error?.message ?? "The matching jobs changed." };
  }
  if (!response.ok || !body) throw HttpError.fromBody(response.status, body);
  if (body.replayed) return { kind: "replayed", replayed: body.replayed, failed: body.failed ?? [] };
  if (body.preview) return { kind: "preview", preview: body.preview };
  throw new HttpError(response.status, "unexpected_answer", "The server's answer made no sense. Please try again.");
}

export function fetchAuditPage(cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (cursor) query.set("cursor", cursor);
  return getJson(`/api/admin/audit?${query}`, signal);
}

export const runCron = (id: string) => postJson<CronRunStarted>(`/api/admin/crons/${encodeURIComponent(id)}/run`);
