import { Writable } from "node:stream";
import { context, ROOT_CONTEXT, trace, type Context, type ContextManager, type Span } from "@opentelemetry/api";
import { describe, expect, it, onTestFinished } from "vitest";
import { sdkLogger } from "@/inngest/logger";
import { routePattern } from "@/lib/http/route";
import { jobLogLineSchema, requestLogLineSchema } from "@/lib/observability/log-lines";
import { createLogger, errorCodeOf, jobTransitionLine, logSettings, requestLine, type LogSettings } from "@/lib/observability/log";

/** A logger writing into an array, one entry per line written. */
function capture(settings: LogSettings = { level: "info", format: "json" }) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger(settings, destination);
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const job = {
  id: "5d0c4a3e-2f61-4a8b-9c1d-3e5f7a9b1c2d",
  type: "report",
  org_id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  attempt: 2,
  inngest_run_id: "01JRUN",
  created_at: "2026-12-03T10:00:00.000Z",
  started_at: "2026-12-03T10:00:01.500Z",
  completed_at: null,
  failed_at: "2026-12-03T10:00:04.250Z",
  cancelled_at: null,
};

describe("settings", () => {
  it("defaults to info, pretty under next dev and JSON elsewhere", () => {
    expect(logSettings({ NODE_ENV: "development" })).toEqual({ level: "info", format: "pretty" });
    expect(logSettings({ NODE_ENV: "production" })).toEqual({ level: "info", format: "json" });
    expect(logSettings({})).toEqual({ level: "info", format: "json" });
    expect(logSettings({ NODE_ENV: "development", LOG_FORMAT: "json", LOG_LEVEL: "" })).toEqual({ level: "info", format: "json" });
    expect(logSettings({ LOG_LEVEL: "silent", LOG_FORMAT: "pretty" })).toEqual({ level: "silent", format: "pretty" });
  });

  it("refuses a level or format pino doesn't have", () => {
    expect(() => logSettings({ LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL/);
    expect(() => logSettings({ LOG_FORMAT: "text" })).toThrow(/LOG_FORMAT/);
  });
});

describe("lines", () => {
  it("writes a job transition as one JSON object its schema parses, with durations since queued and since started", () => {
    const { logger, lines } = capture();
    const { level, fields, msg } = jobTransitionLine("failed", job, { errorCode: "NonRetriableError" });
    logger[level](fields, msg);
    expect(lines).toHaveLength(1);
    expect(jobLogLineSchema.parse(JSON.parse(lines[0]!))).toEqual({
      level: "error",
      time: expect.any(String),
      msg: "report job failed",
      event: "job.failed",
      jobId: job.id,
      jobType: "report",
      orgId: job.org_id,
      attempt: 2,
      runId: "01JRUN",
      durationMs: 4250,
      runMs: 2750,
      errorCode: "NonRetriableError",
    });
  });

  it("gives an error code only as a name, never a sentence that could quote a value", () => {
    expect(errorCodeOf("queue_unavailable")).toBe("queue_unavailable");
    expect(errorCodeOf("Resend said: alice@example.com is invalid")).toBe("error");
    expect(errorCodeOf(undefined)).toBe("error");
    expect(jobTransitionLine("started", job).fields).not.toHaveProperty("errorCode");
    expect(jobTransitionLine("started", job).fields).not.toHaveProperty("durationMs");
  });

  it("writes a request as one line, 5xx as an error", () => {
    const { logger, parsed } = capture();
    for (const status of [202, 404, 503]) {
      const { level, fields, msg } = requestLine({ method: "POST", route: "/api/reports", status, durationMs: 12 });
      logger[level](fields, msg);
    }
    const lines = parsed().map((line) => requestLogLineSchema.parse(line));
    expect(lines.map((line) => [line.level, line.status])).toEqual([
      ["info", 202],
      ["info", 404],
      ["error", 503],
    ]);
    expect(lines[0]).toMatchObject({ event: "http.request", method: "POST", route: "/api/reports", durationMs: 12, msg: "POST /api/reports 202" });
  });

/**
 * The least context manager that lets a span be active, synchronously: the tracing setup
 * registers a real one; without any, the API has no active span at all.
 */
class StackContextManager implements ContextManager {
  #stack: Context[] = [];
  active = () => this.#stack.at(-1) ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A) {
    this.#stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }
  bind = <T>(_ctx: Context, target: T) => target;
  enable = () => this;
  disable = () => this;
}

  it("carries the active trace's id, and none without a valid span", () => {
    context.setGlobalContextManager(new StackContextManager());
    onTestFinished(() => context.disable());
    const { logger, parsed } = capture();
    logger.info("outside");
    const spanContext = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 };
    context.with(trace.setSpan(context.active(), trace.wrapSpanContext(spanContext) as Span), () => logger.info("inside"));
    const [outside, inside] = parsed();
    expect(outside).not.toHaveProperty("traceId");
    expect(inside).toMatchObject({ traceId: spanContext.traceId });
  });

  it("replaces every value under a secret-looking key, at any depth", () => {
    const { logger, lines } = capture();
    logger.info({ apiKey: "re_live_123", nested: { callbackSecret: "whsec_abc", list: [{ authorization: "Bearer xyz" }] }, jobId: "j" }, "m");
    const text = lines.join("\n");
    for (const secret of ["re_live_123", "whsec_abc", "Bearer xyz"]) expect(text).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({ apiKey: "[redacted]", nested: { callbackSecret: "[redacted]" }, jobId: "j" });
  });

  it("writes an error's type, message and stack, not what hangs off it", () => {
    const { logger, parsed } = capture();
    const error = Object.assign(new Error("boom"), { request: { headers: { cookie: "sb=1" } }, code: "E1" });
    logger.error({ err: error }, "failed");
    const [line] = parsed();
    expect(line).toMatchObject({ err: { type: "Error", message: "boom", code: "E1", stack: expect.stringContaining("boom") } });
    expect(JSON.stringify(line)).not.toContain("sb=1");
  });

  it("keeps lines below the level out, and writes nothing when silent", () => {
    const info = capture({ level: "warn", format: "json" });
    info.logger.info("dropped");
    info.logger.warn("kept");
    expect(info.parsed().map((line) => line.msg)).toEqual(["kept"]);
    const silent = capture({ level: "silent", format: "json" });
    silent.logger.error("dropped");
    expect(silent.lines).toEqual([]);
  });

  it("writes pretty lines for people, still without secrets", () => {
    const { logger, lines } = capture({ level: "info", format: "pretty" });
    logger.info({ event: "job.completed", jobId: "j1", token: "tok_secret" }, "report job completed");
    const text = lines.join("\n");
    expect(text).toContain("report job completed");
    expect(text).toContain("j1");
    expect(text).not.toContain("tok_secret");
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });
});

describe("the Inngest SDK's lines", () => {
  it("pass through the app's logger: pino-style calls as they are, extra values as details", () => {
    const { logger, parsed } = capture();
    const sdk = sdkLogger(() => logger);
    sdk.error({ err: new TypeError("bad") }, "Inngest step error");
    sdk.warn("Inngest warning", { functionId: "send" }, new Error("why"));
    sdk.info("plain");
    expect(parsed()).toMatchObject([
      { level: "error", component: "inngest", msg: "Inngest step error", err: { type: "TypeError", message: "bad" } },
      { level: "warn", component: "inngest", msg: "Inngest warning", details: [{ functionId: "send" }, "Error: why"] },
      { level: "info", component: "inngest", msg: "plain" },
    ]);
  });
});

describe("routePattern", () => {
  it("names the dynamic segments, so a log groups by endpoint", () => {
    expect(routePattern("/api/jobs/5d0c4a3e", { id: "5d0c4a3e" })).toBe("/api/jobs/[id]");
    expect(routePattern("/api/jobs/5d0c4a3e/cancel", { id: "5d0c4a3e" })).toBe("/api/jobs/[id]/cancel");
    expect(routePattern("/api/reports", {})).toBe("/api/reports");
    expect(routePattern("/api/files/a/b%20c", { path: ["a", "b c"] })).toBe("/api/files/[...path]");
    expect(routePattern("/api/files", { path: undefined })).toBe("/api/files");
  });
});
