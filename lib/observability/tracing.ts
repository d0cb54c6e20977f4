import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { tracingEnv } from "@/lib/env";

/**
 * The OpenTelemetry SDK for the Node.js server, started by instrumentation.ts when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set. Next.js's own spans (one server span per request,
 * continuing an incoming `traceparent`) go through the provider registered here; the
 * undici instrumentation adds a client span for every `fetch` (Supabase, Resend, Inngest's
 * event API) under the active span and sends `traceparent` with it. Export is OTLP/HTTP
 * protobuf, which every collector, Jaeger, Grafana Tempo and the devstack accept; the
 * exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself, and the batch
 * processor OTEL_BSP_* (OTEL_BSP_SCHEDULE_DELAY, 5000 ms by default).
 */
export function startTracing(): void {
  const settings = tracingEnv();
  if (!settings.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.OTEL_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The default W3C trace-context and baggage propagators and an AsyncLocalStorage context.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new UndiciInstrumentation({
        // The exporter's own requests would otherwise trace themselves, one export per export.
        ignoreRequestHook: (request) => isExportRequest(request.origin, settings.OTEL_EXPORTER_OTLP_ENDPOINT),
      }),
    ],
  });
}

function isExportRequest(origin: string, endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    return new URL(origin).origin === new URL(endpoint).origin;
  } catch {
    return false;
  }
}

/**
 * Sends the spans still buffered. A serverless invocation may be frozen as soon as it
 * answers, so a run's request to /api/inngest flushes before answering (inngest/tracing.ts),
 * as Inngest's own tracing middleware does. It waits `atMostMs` at most: a collector that is
 * down or slow costs a run's request that, not the exporter's 10 s timeout, and its spans
 * still go with the next batch. A no-op when tracing is off.
 */
export async function flushTraces(atMostMs = 1_000): Promise<void> {
  // The API's global holds the provider (behind a proxy): route bundles don't share
  // instrumentation.ts's modules, so there is no import to reach it by.
  const global: unknown = trace.getTracerProvider();
  const provider = hasMethod(global, "getDelegate") ? global.getDelegate() : global;
  if (!hasMethod(provider, "forceFlush")) return;
  let timer: NodeJS.Timeout | undefined;
  const givenUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, atMostMs)));
  try {
    // A failed export is the SDK's to report (OpenTelemetry's diagnostics); the run goes on.
    await Promise.race([Promise.resolve(provider.forceFlush()).catch(() => {}), givenUp]);
  } finally {
    clearTimeout(timer);
  }
}

function hasMethod<K extends string>(value: unknown, name: K): value is Record<K, () => unknown> {
  return typeof value === "object" && value !== null && name in value && typeof (value as Record<K, unknown>)[name] === "function";
}
