import { trace } from "@opentelemetry/api";
import { after } from "next/server";

/*
 * Apart from tracing.ts, so route bundles get this and the OpenTelemetry API, never the SDK
 * that instrumentation.ts starts.
 */

/**
 * Sends the spans still buffered, once the answer has gone: a serverless invocation may be
 * frozen as soon as it answers, and `after()` is how Next.js (and Vercel's `waitUntil`)
 * keeps it alive for work that must not delay the answer. route() and each run's request to
 * /api/inngest (inngest/tracing.ts) call it. It waits `atMostMs` at most: a collector that
 * is down or slow costs the invocation that, not the exporter's 10 s timeout, and its spans
 * still go with the next batch. A no-op when tracing is off.
 *
 * Requests that end while an export is under way share one export after it, rather than one
 * each: a busy server sends a batch per export's round trip, not a request per request.
 */
export function flushTracesAfterAnswer(atMostMs = 1_000): void {
  const provider = tracerProvider();
  if (!provider) return;
  after(() => sharedFlush(provider, atMostMs));
}

let running: Promise<void> | undefined;
let next: Promise<void> | undefined;

function sharedFlush(provider: Record<"forceFlush", () => unknown>, atMostMs: number): Promise<void> {
  if (!running) {
    running = flushOnce(provider, atMostMs).finally(() => (running = undefined));
    return running;
  }
  // This request's spans may have ended after the running export took its batch.
  next ??= running.then(() => {
    next = undefined;
    return sharedFlush(provider, atMostMs);
  });
  return next;
}

async function flushOnce(provider: Record<"forceFlush", () => unknown>, atMostMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const givenUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, atMostMs)));
  try {
    // A failed export is the SDK's to report (OpenTelemetry's diagnostics).
    await Promise.race([Promise.resolve(provider.forceFlush()).catch(() => {}), givenUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** The registered SDK provider, or undefined when tracing is off (the API's no-op). */
function tracerProvider(): Record<"forceFlush", () => unknown> | undefined {
  // The API's global holds the provider (behind a proxy): route bundles don't share
  // instrumentation.ts's modules, so there is no import to reach it by.
  const global: unknown = trace.getTracerProvider();
  const provider = hasMethod(global, "getDelegate") ? global.getDelegate() : global;
  return hasMethod(provider, "forceFlush") ? provider : undefined;
}

function hasMethod<K extends string>(value: unknown, name: K): value is Record<K, () => unknown> {
  return typeof value === "object" && value !== null && name in value && typeof (value as Record<K, unknown>)[name] === "function";
}
