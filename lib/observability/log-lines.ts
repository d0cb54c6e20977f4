import { z } from "zod";

/**
 * The shape of the app's structured log lines, one schema per kind: what the logger writes
 * (lib/observability/log.ts) and what a reader (a test, a log drain's query) may rely on.
 * Strict objects: a field nobody declared here (a payload value, a header) fails to parse.
 */

/** pino's levels, written by name so a log search can filter on `level:error`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

/** What every line carries. `traceId` is the active OpenTelemetry trace, when there is one. */
const lineBase = {
  level: z.enum(LOG_LEVELS),
  time: z.iso.datetime(),
  msg: z.string(),
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
};

/**
 * The moments of a job's life that get a line: `queued` (the job row is written, pending),
 * `started` (an attempt begins: from pending, or again after retrying), `retrying` (an
 * attempt failed and another follows), the three ends, and `replayed` (a failed job got
 * its replay: the line names the original, `replayId` the new job, which has its own
 * `queued` line with `replayOf`).
 */
export const JOB_TRANSITIONS = ["queued", "started", "retrying", "completed", "failed", "cancelled", "replayed"] as const;
export type JobTransition = (typeof JOB_TRANSITIONS)[number];

export const jobLogLineSchema = z.strictObject({
  ...lineBase,
  event: z.enum(JOB_TRANSITIONS.map((transition) => `job.${transition}` as const)),
  jobId: z.uuid(),
  jobType: z.string(),
  orgId: z.uuid(),
  /** Attempts so far, as the job records them (0 while queued); absent on `replayed`. */
  attempt: z.number().int().min(0).optional(),
  /** The Inngest run working on the job, once one has started it. */
  runId: z.string().optional(),
  /** On the three ends: milliseconds since the job was queued (its whole wait and work). */
  durationMs: z.number().int().min(0).optional(),
  /** On the three ends of a job that started: milliseconds since its first attempt began. */
  runMs: z.number().int().min(0).optional(),
  /** On `retrying` and `failed`: the error's name or the app's code, never its message. */
  errorCode: z.string().optional(),
  replayOf: z.uuid().optional(),
  replayId: z.uuid().optional(),
});
export type JobLogLine = z.infer<typeof jobLogLineSchema>;

/**
 * One per request answered by `route()` (lib/http/route.ts), /api/inngest or /auth/confirm
 * (route handlers that can't be a route()), errors included. `route` is
 * the path with its dynamic segments named (`/api/jobs/[id]`); the query string, headers
 * and body are never logged.
 */
export const requestLogLineSchema = z.strictObject({
  ...lineBase,
  event: z.literal("http.request"),
  method: z.string(),
  route: z.string().startsWith("/"),
  status: z.number().int().min(100).max(599),
  durationMs: z.number().int().min(0),
});
export type RequestLogLine = z.infer<typeof requestLogLineSchema>;
