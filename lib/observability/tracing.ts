import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { tracingEnv } from "@/lib/env";
import { redactedUrlAttributes } from "./span-url";

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
        // Over the URL attributes it records: no event key, no query values (see span-url.ts).
        startSpanHook: (request) => redactedUrlAttributes(request.origin, request.path),
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
