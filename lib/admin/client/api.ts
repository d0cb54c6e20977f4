import { z } from "zod";
import { answer, api } from "@/lib/http/client";
import { HttpError } from "@/lib/http/errors";
import type { AuditPage } from "../audit";
import type { CronRunStarted } from "../crons";
import type { AdminJobView, DeadLetterPage } from "../dead-letters";
import type { BulkPreview, ReplayOutcome } from "../replay";
import { AUDIT_PAGE_SIZE, DEAD_LETTER_PAGE_SIZE, type BulkReplayRequest } from "../schemas";
import type { DeadLetterListFilter } from "./keys";

/**
 * The browser's side of the admin API. Refusals arrive as the `HttpError` the route
 * threw (see lib/http/client.ts), so the console can show its message as it is.
 */

export function fetchDeadLetters(
  filter: DeadLetterListFilter,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<DeadLetterPage> {
  const query: Record<string, string | number | null> = { limit: DEAD_LETTER_PAGE_SIZE, cursor };
  for (const [name, value] of Object.entries(filter)) if (typeof value === "string") query[name] = value;
  return api("/api/admin/dead-letters", answer<DeadLetterPage>(), { query, signal });
}

export const fetchAdminJob = (id: string, signal?: AbortSignal) =>
  api(`/api/admin/jobs/${encodeURIComponent(id)}`, answer<AdminJobView>(), { signal });

const replayedSchema = z.object({ jobId: z.string(), replayId: z.string(), statusUrl: z.string() });

export const replayJob = (id: string): Promise<ReplayOutcome & { statusUrl: string }> =>
  api(`/api/admin/jobs/${encodeURIComponent(id)}/replay`, replayedSchema, { method: "POST" });

export type BulkReplayAnswer =
  | { kind: "preview"; preview: BulkPreview }
  /** The matching jobs changed since the preview; this is what would be replayed now. */
  | { kind: "changed"; preview: BulkPreview; message: string }
  | { kind: "replayed"; replayed: ReplayOutcome[]; failed: { jobId: string; error: string }[] };

const bulkAnswerSchema = z.union([
  z.object({
    replayed: z.array(z.object({ jobId: z.string(), replayId: z.string() })),
    failed: z.array(z.object({ jobId: z.string(), error: z.string() })),
  }),
  z.object({ preview: answer<BulkPreview>() }),
]);

/** Previews (no `confirm`) or replays (with it). A 409 with a new preview is an answer, not an error. */
export async function bulkReplay(
  request: Partial<BulkReplayRequest> & Pick<BulkReplayRequest, "filter">,
): Promise<BulkReplayAnswer> {
  try {
    const body = await api("/api/admin/dead-letters/replay", bulkAnswerSchema, { method: "POST", json: request });
    if ("replayed" in body) return { kind: "replayed", replayed: body.replayed, failed: body.failed };
    return { kind: "preview", preview: body.preview };
  } catch (error) {
    if (!(error instanceof HttpError) || error.code !== "selection_changed") throw error;
    const preview = answer<BulkPreview>().safeParse(error.extras?.preview);
    if (!preview.success) throw error;
    return { kind: "changed", preview: preview.data, message: error.message };
  }
}

export function fetchAuditPage(cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return api("/api/admin/audit", answer<AuditPage>(), { query: { limit: AUDIT_PAGE_SIZE, cursor }, signal });
}

export const runCron = (id: string) =>
  api(`/api/admin/crons/${encodeURIComponent(id)}/run`, answer<CronRunStarted>(), { method: "POST" });
