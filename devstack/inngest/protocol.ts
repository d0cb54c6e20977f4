/**
 * The wire contract with the SDK's `serve()` handler, as `inngest@4.24.0` speaks it (read
 * from the SDK's own source; see devstack/inngest/README.md). Schemas are lenient about extra keys so
 * a newer SDK still syncs, but every opcode we don't know fails the run loudly.
 */
import { z } from "zod";

/** Header names, as in the SDK's `helpers/consts.ts`. */
export const HEADERS = {
  noRetry: "x-inngest-no-retry",
  retryAfter: "retry-after",
  requestVersion: "x-inngest-req-version",
  serverKind: "x-inngest-server-kind",
  syncKind: "x-inngest-sync-kind",
  sdk: "x-inngest-sdk",
  /** Which dispatch of a queue item a call is; the SDK echoes it in its checkpoints. */
  generationId: "x-inngest-generation-id",
} as const;

/** The SDK's default when a function sets no `retries` (Go server: 4 retries, 5 attempts). */
export const DEFAULT_RETRIES = 4;

export const INTERNAL_EVENTS = {
  failed: "inngest/function.failed",
  finished: "inngest/function.finished",
  cancelled: "inngest/function.cancelled",
  invoked: "inngest/function.invoked",
  scheduled: "inngest/scheduled.timer",
} as const;

/** Opcodes this executor implements (the SDK's `StepOpCode`). */
export const OPCODES = [
  "StepRun",
  "StepError",
  "StepFailed",
  "StepPlanned",
  "Sleep",
  "WaitForEvent",
  "InvokeFunction",
  "WaitForSignal",
  "RunComplete",
  // The SDK asks to be called again (checkpoint mode, when it hands a run back).
  "DiscoveryRequest",
] as const;
export type Opcode = (typeof OPCODES)[number];

const eventTrigger = z.object({ event: z.string(), expression: z.string().optional() });
const cronTrigger = z.object({ cron: z.string(), jitter: z.string().optional() });
export type EventTrigger = z.infer<typeof eventTrigger>;

const concurrencyOption = z.object({
  limit: z.number().int(),
  key: z.string().optional(),
  scope: z.enum(["fn", "env", "account"]).optional(),
});
export type ConcurrencyOption = z.infer<typeof concurrencyOption>;

const periodLimit = z.object({ limit: z.number().int(), period: z.string(), key: z.string().optional() });

/** One function as `InngestFunction.getConfig()` describes it. */
export const functionConfigSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  triggers: z.array(z.union([eventTrigger, cronTrigger])).default([]),
  steps: z.record(
    z.string(),
    z.looseObject({
      id: z.string(),
      runtime: z.looseObject({ type: z.string(), url: z.string() }),
      retries: z.object({ attempts: z.number().int().nonnegative().optional() }).optional(),
    }),
  ),
  idempotency: z.string().optional(),
  rateLimit: periodLimit.optional(),
  throttle: periodLimit.extend({ burst: z.number().int().optional() }).optional(),
  concurrency: z.union([z.number().int(), concurrencyOption, z.array(concurrencyOption)]).optional(),
  priority: z.object({ run: z.string().optional() }).optional(),
  cancel: z
    .array(z.object({ event: z.string(), if: z.string().optional(), timeout: z.string().optional() }))
    .optional(),
  debounce: z.object({ period: z.string(), key: z.string().optional(), timeout: z.string().optional() }).optional(),
  batchEvents: z
    .object({ maxSize: z.number().int(), timeout: z.string(), key: z.string().optional(), if: z.string().optional() })
    .optional(),
  singleton: z.object({ key: z.string().optional(), mode: z.enum(["skip", "cancel"]) }).optional(),
  timeouts: z.object({ start: z.string().optional(), finish: z.string().optional() }).optional(),
});
export type FunctionConfig = z.infer<typeof functionConfigSchema>;

/** The SDK's answer to an in-band `PUT` (`InBandRegisterRequest`). */
export const inBandSyncSchema = z.looseObject({
  app_id: z.string(),
  url: z.string(),
  functions: z.array(functionConfigSchema),
  framework: z.string().optional(),
  sdk: z.string().optional(),
});

/** What the SDK `POST`s to `/fn/register` after an out-of-band `PUT` (`RegisterRequest`). */
export const registerRequestSchema = z.looseObject({
  url: z.string(),
  appName: z.string(),
  functions: z.array(functionConfigSchema),
  framework: z.string().optional(),
  sdk: z.string().optional(),
});

export type AppSync = {
  appId: string;
  url: string;
  functions: FunctionConfig[];
  framework?: string;
  sdk?: string;
};

/** An op in a 206 response (`OutgoingOp`). `op` stays a string so unknown ones reach us. */
export const outgoingOpSchema = z.looseObject({
  id: z.string(),
  op: z.string(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  opts: z.record(z.string(), z.unknown()).optional(),
  data: z.unknown().optional(),
  error: z.unknown().optional(),
  userland: z.object({ id: z.string() }).loose().optional(),
});
export type OutgoingOp = z.infer<typeof outgoingOpSchema>;

export const waitForEventOptsSchema = z.object({ timeout: z.string(), if: z.string().optional() });
/** `step.waitForSignal`'s opts; the timeout is "" when it was zero or negative. */
export const waitForSignalOptsSchema = z.object({
  signal: z.string().min(1),
  timeout: z.string(),
  conflict: z.enum(["replace", "fail"]).optional(),
});
/** `inngest.sendSignal` posts this to `/v1/signals`. */
export const sendSignalSchema = z.object({ signal: z.string().min(1), data: z.unknown().optional() });
export const invokeOptsSchema = z.object({
  function_id: z.string(),
  payload: z.looseObject({ data: z.unknown().optional() }).default({}),
  timeout: z.string().optional(),
});

/** How the SDK serializes a thrown error (`serializeError`); anything else is wrapped. */
export type SerializedError = { name: string; message: string; stack?: string } & Record<string, unknown>;

export function toSerializedError(value: unknown, fallbackMessage = "Unknown error"): SerializedError {
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const message = typeof record.message === "string" ? record.message : undefined;
    const name = typeof record.name === "string" ? record.name : "Error";
    if (message !== undefined) return { ...record, name, message };
    if (typeof record.error === "string") return { ...record, name, message: record.error };
  }
  if (typeof value === "string" && value) return { name: "Error", message: value };
  return { name: "Error", message: fallbackMessage };
}

/** An event as stored and sent to functions. */
export type EventPayload = {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  v?: string;
  user?: Record<string, unknown>;
};

/** What `inngest.send` posts: one event or an array, most fields optional. */
export const incomingEventSchema = z.looseObject({
  name: z.string().min(1),
  data: z.record(z.string(), z.unknown()).nullish(),
  id: z.string().optional(),
  ts: z.number().optional(),
  v: z.string().optional(),
  user: z.record(z.string(), z.unknown()).optional(),
});
export type IncomingEvent = z.infer<typeof incomingEventSchema>;

/** The body of a call to a function (`parseFnData`). */
export type CallRequestBody = {
  version: number;
  event: EventPayload;
  events: EventPayload[];
  steps: Record<string, unknown>;
  ctx: {
    run_id: string;
    /**
     * With checkpointing on, the function's id and this call's queue item: their presence
     * is what lets the SDK run steps eagerly and checkpoint them (`shouldAsyncCheckpoint`).
     */
    fn_id?: string;
    qi_id?: string;
    attempt: number;
    max_attempts: number;
    disable_immediate_execution: boolean;
    use_api: false;
    stack: { stack: string[]; current: number };
  };
  use_api: false;
};

/**
 * `POST /v1/checkpoint/:runId/async` (`InngestApi.checkpointStepsAsync`): steps the SDK ran
 * eagerly inside one call, reported while that call goes on.
 */
export const asyncCheckpointSchema = z.looseObject({
  run_id: z.string(),
  fn_id: z.string(),
  qi_id: z.string(),
  request_id: z.string().optional(),
  generation_id: z.number().int().optional(),
  request_started_at: z.number().optional(),
  steps: z.array(
    outgoingOpSchema.extend({
      /** The SDK's `goIntervalTiming`: start and duration, in nanoseconds. */
      timing: z.object({ a: z.number(), b: z.number() }).optional(),
    }),
  ),
  ts: z.number().optional(),
});
export type AsyncCheckpoint = z.infer<typeof asyncCheckpointSchema>;
