import { ConsoleLogger, type Logger } from "inngest";
import type { Logger as Pino } from "pino";

/**
 * Errors a function throws on purpose to steer its retries (`NonRetriableError`,
 * `RetryAfterError`), or a provider's refusal it expects (`EmailSendError`: Resend said
 * no, or was down). Their stack says nothing new, so the log gets one line each; the
 * stack stays with the run (the runs page, or Inngest Cloud's run view).
 */
const EXPECTED_ERRORS = new Set(["NonRetriableError", "RetryAfterError", "EmailSendError"]);

type Fields = { err?: unknown };

function expectedError(fields: unknown): Error | undefined {
  if (typeof fields !== "object" || fields === null || !("err" in fields)) return undefined;
  const { err } = fields as Fields;
  // A step's memoized failure comes back as a StepError named after the original error.
  return err instanceof Error && EXPECTED_ERRORS.has(err.name) ? err : undefined;
}

/**
 * The Inngest client's logger, over another (the app's, see sdkLogger; the SDK's console
 * logger by default): the SDK logs every step and function error with its stack as
 * `error({ err }, "Inngest step error")`; an expected one becomes a single line.
 */
export class RunLogger implements Logger {
  constructor(private readonly inner: Logger = new ConsoleLogger()) {}

  info(...args: unknown[]) {
    this.inner.info(...args);
  }
  warn(...args: unknown[]) {
    this.inner.warn(...args);
  }
  debug(...args: unknown[]) {
    this.inner.debug(...args);
  }
  error(...args: unknown[]) {
    const [fields, message] = args;
    const err = expectedError(fields);
    if (err && typeof message === "string") this.inner.error(`${message}: ${err.name}: ${err.message}`);
    else this.inner.error(...args);
  }
}

type Level = "info" | "warn" | "error" | "debug";

/**
 * The SDK's lines through the app's logger (`log` is lib/observability/log.ts's, asked for
 * on first use), so they are JSON in production like the rest. The SDK logs pino's way,
 * `error({ err }, "message")`, which passes through as it is; a message followed by other
 * values keeps them as `details`.
 */
export function sdkLogger(log: () => Pino): Logger {
  let child: Pino | undefined;
  const write = (level: Level, args: unknown[]) => {
    const logger = (child ??= log().child({ component: "inngest" }));
    const [first, ...rest] = args;
    if (typeof first === "string") {
      if (rest.length === 0) logger[level](first);
      else logger[level]({ details: rest.map((value) => (value instanceof Error ? `${value.name}: ${value.message}` : value)) }, first);
    } else {
      logger[level](first, typeof rest[0] === "string" ? rest[0] : undefined);
    }
  };
  return {
    info: (...args: unknown[]) => write("info", args),
    warn: (...args: unknown[]) => write("warn", args),
    error: (...args: unknown[]) => write("error", args),
    debug: (...args: unknown[]) => write("debug", args),
  };
}
