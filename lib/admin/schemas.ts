import { z } from "zod";

/**
 * What the admin API accepts, one schema per request, with the types derived from them.
 * Free of server-only imports, so the console's client code can use the constants too.
 */

export const DEAD_LETTER_PAGE_SIZE = 25;
export const AUDIT_PAGE_SIZE = 50;
/** A bulk replay sends at most this many events unless the request asks for fewer... */
export const DEFAULT_BULK_REPLAY_CAP = 100;
/** ...and never more than this, whatever it asks: a bigger backlog is replayed in rounds. */
export const MAX_BULK_REPLAY_CAP = 500;

const jobType = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, "Use a job type such as welcome-email.");
const instant = z.iso.datetime({ offset: true, error: "Use an ISO 8601 time, e.g. 2026-11-24T08:00:00Z." });
const cursor = z.string().regex(/^\d{1,18}$/, "Use the nextCursor of the previous page.");

const filterShape = {
  type: jobType.optional(),
  orgId: z.uuid({ error: "Use an organisation id." }).optional(),
  /** Failed at or after. */
  failedSince: instant.optional(),
  /** Failed at or before. */
  failedUntil: instant.optional(),
};

const sinceNotAfterUntil = (filter: { failedSince?: string; failedUntil?: string }) =>
  !filter.failedSince || !filter.failedUntil || Date.parse(filter.failedSince) <= Date.parse(filter.failedUntil);
const rangeError = { message: "failedSince must not be after failedUntil.", path: ["failedUntil"] };

/** Which failed jobs a bulk replay is about. */
export const deadLetterFilterSchema = z.object(filterShape).strict().refine(sinceNotAfterUntil, rangeError);
export type DeadLetterFilter = z.output<typeof deadLetterFilterSchema>;

/** `GET /api/admin/dead-letters`: the filter, whether already replayed, and a page. */
export const deadLetterQuerySchema = z
  .object({
    ...filterShape,
    /** "no": only those still waiting for a replay; "yes": only those replayed; unset: both. */
    replayed: z.enum(["yes", "no"]).optional(),
    cursor: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(DEAD_LETTER_PAGE_SIZE),
  })
  .refine(sinceNotAfterUntil, rangeError);
export type DeadLetterQuery = z.output<typeof deadLetterQuerySchema>;

/**
 * `POST /api/admin/dead-letters/replay`. Without `confirm` it changes nothing and answers
 * what it would replay; with it, it replays exactly that, or refuses (409) if the matching
 * jobs changed in between, so what runs is always what the admin saw and confirmed.
 */
export const bulkReplaySchema = z
  .object({
    filter: deadLetterFilterSchema,
    cap: z.number().int().min(1).max(MAX_BULK_REPLAY_CAP).default(DEFAULT_BULK_REPLAY_CAP),
    confirm: z
      .object({
        count: z.number().int().min(1),
        /** The preview's `selection`: which jobs, not just how many. */
        selection: z.string().min(1).max(100),
      })
      .strict()
      .optional(),
  })
  .strict();
export type BulkReplayRequest = z.output<typeof bulkReplaySchema>;

/** `GET /api/admin/audit`: newest first, a page at a time. */
export const auditQuerySchema = z.object({
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(AUDIT_PAGE_SIZE),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;
