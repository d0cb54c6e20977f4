import "server-only";
import { isSpanContextValid, trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from "pino";
import pretty from "pino-pretty";
import { isSecretKey, REDACTED } from "@/lib/admin/redact";
import { logEnvSchema } from "@/lib/env";
import type { Job } from "@/lib/jobs/state";
import type { JobLogLine, JobTransition, RequestLogLine } from "./log-lines";

/**
 * The app's one logger (pino): one JSON object per line in production, where Vercel's log
 * view and any drain can search its fields; readable lines under `next dev`. The shapes of
 * the lines other code relies on are in ./log-lines.ts.
 *
 * pino writes synchronously to stdout, in this process: a worker-thread transport doesn't
 * survive Next's bundling, and a serverless function may be frozen before a buffer drains.
 * Pretty output goes through pino-pretty as a plain stream for the same reason.
 */

export type LogFormat = "json" | "pretty";
export type LogSettings = { level: LevelWithSilent; format: LogFormat };

/** LOG_LEVEL and LOG_FORMAT from `source`; a blank value counts as unset, as in lib/env.ts. */
export function logSettings(source: Record<string, string | undefined>): LogSettings {
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = logEnvSchema.parse(given);
  return { level: parsed.LOG_LEVEL, format: parsed.LOG_FORMAT ?? (source.NODE_ENV === "development" ? "pretty" : "json") };
}

/** How deep redaction looks into a line's fields; our lines are flat, this is for the SDK's. */
const MAX_DEPTH = 6;

/**
 * Every value under a secret-looking key (the admin console's rule, lib/admin/redact.ts),
 * at any depth, replaced: a line must never carry a key, token or signature, whoever
 * wrote it. Errors are left to the `err` serializer.
 */
export function redactFields(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object" || value instanceof Error) return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const redacted: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    redacted[key] = isSecretKey(key) ? REDACTED : redactFields(inner, depth + 1);
  }
  return redacted;
}

/** An error as a line shows it: what and where, not the objects hanging off it (requests, payloads). */
function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = "code" in error && typeof error.code === "string" ? { code: error.code } : {};
  return { type: error.name, message: error.message, stack: error.stack, ...code };
}

/** The active OpenTelemetry trace, when a tracer is registered and a span is running. */
function traceFields(): { traceId?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? { traceId: context.traceId } : {};
}

export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const stream =
    settings.format === "pretty"
      ? pretty({ sync: true, destination: destination ?? 1, colorize: destination === undefined && process.stdout.isTTY })
      : (destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: settings.level,
      // No pid or hostname: the platform labels each line with its function and instance.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceFields,
      serializers: { err: errorFields },
      formatters: {
        // By name, so a search can ask for `level:error`.
        level: (label) => ({ level: label }),
        log: (fields) => redactFields(fields) as Record<string, unknown>,
      },
    },
    stream,
  );
}

let root: Logger | undefined;

/** The process's logger, made on first use from LOG_LEVEL and LOG_FORMAT. */
export function log(): Logger {
  root ??= createLogger(logSettings(process.env));
  return root;
}

type JobFacts = Pick<Job, "id" | "type" | "org_id"> &
  Partial<Pick<Job, "attempt" | "inngest_run_id" | "created_at" | "started_at" | "completed_at" | "failed_at" | "cancelled_at">>;

type JobFields = Omit<JobLogLine, "level" | "time" | "msg" | "traceId">;

const since = (from: string | null | undefined, to: string | null | undefined) =>
  from && to ? Math.max(0, Math.round(Date.parse(to) - Date.parse(from))) : undefined;

/** An error code as a line may carry it: a name, never a sentence that might quote a value. */
const ERROR_CODE = /^[A-Za-z][\w.:-]{0,63}$/;
export const errorCodeOf = (code: string | undefined) => (code !== undefined && ERROR_CODE.test(code) ? code : "error");

/**
 * The line of one job transition that was written (lib/jobs/store.ts calls this only after
 * the database took the change). Ends carry how long the job took since it was queued
 * (`durationMs`) and since it started (`runMs`). Never the payload, result or error message.
 */
export function logJobTransition(...args: Parameters<typeof jobTransitionLine>): void {
  write(() => jobTransitionLine(...args));
}

/**
 * Writes a line, and never throws: it is written after the fact (a job's write taken, an
 * answer made), and a logger that can't start (a bad LOG_LEVEL) must not undo that.
 */
function write(line: () => Line<JobFields> | Line<RequestFields>): void {
  try {
    const { level, fields, msg } = line();
    log()[level](fields, msg);
  } catch (error) {
    console.error("could not write a log line:", error);
  }
}

/** A line to write: its level, fields and message. */
export type Line<Fields> = { level: "info" | "warn" | "error"; fields: Fields; msg: string };

export function jobTransitionLine(
  transition: JobTransition,
  job: JobFacts,
  details: { errorCode?: string; replayOf?: string | null; replayId?: string } = {},
): Line<JobFields> {
  const ends: Partial<Record<JobTransition, string | null | undefined>> = {
    completed: job.completed_at,
    failed: job.failed_at,
    cancelled: job.cancelled_at,
  };
  const end = ends[transition];
  const fields: JobFields = {
    event: `job.${transition}`,
    jobId: job.id,
    jobType: job.type,
    orgId: job.org_id,
    ...(job.attempt !== undefined ? { attempt: job.attempt } : {}),
    ...(job.inngest_run_id ? { runId: job.inngest_run_id } : {}),
    ...(end ? { durationMs: since(job.created_at, end), runMs: since(job.started_at, end) } : {}),
    ...(transition === "failed" || transition === "retrying" ? { errorCode: errorCodeOf(details.errorCode) } : {}),
    ...(details.replayOf ? { replayOf: details.replayOf } : {}),
    ...(details.replayId ? { replayId: details.replayId } : {}),
  };
  const level = transition === "failed" ? "error" : transition === "retrying" ? "warn" : "info";
  return { level, fields, msg: `${job.type} job ${transition}` };
}

type RequestFields = Omit<RequestLogLine, "level" | "time" | "msg" | "traceId">;

/** The line of one answered request: 5xx as errors, everything else (4xx included: the caller's) as info. */
export function logRequest(request: Omit<RequestFields, "event">): void {
  write(() => requestLine(request));
}

export function requestLine(request: Omit<RequestFields, "event">): Line<RequestFields> {
  const level = request.status >= 500 ? "error" : "info";
  return { level, fields: { event: "http.request", ...request }, msg: `${request.method} ${request.route} ${request.status}` };
}
