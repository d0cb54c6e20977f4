/**
 * Next.js calls `register()` once per server process before serving anything. Tracing is
 * on only when OTEL_EXPORTER_OTLP_ENDPOINT says where to send spans, and only in the
 * Node.js runtime (the OpenTelemetry Node SDK doesn't run on the edge; no route here does).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  // undici's instrumentation makes the span for every fetch (and sends traceparent on), so
  // Next's own span for the same fetch would only double it; set "0" to have both.
  process.env.NEXT_OTEL_FETCH_DISABLED ??= "1";
  const { startTracing } = await import("./lib/observability/tracing");
  startTracing();
}
