import { ConsoleLogger, type Logger } from "inngest";

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
 * The Inngest client's logger (the SDK's console logger, so levels and format stay the
 * SDK's): the SDK logs every step and function error with its stack as
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
