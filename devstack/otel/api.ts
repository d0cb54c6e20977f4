import { Hono } from "hono";
import { decodeTraceRequest, OtlpDecodeError } from "./decode";
import { listPage, notFoundPage, tracePage } from "./pages";
import type { TraceStore } from "./store";

/** Far above what an exporter batches (512 spans by default), so only a runaway is refused. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

const traceIdPattern = /^[0-9a-f]{32}$/;

/**
 * The receiver's HTTP surface: `POST /v1/traces` as OTLP/HTTP defines it, the pages, and
 * `/api/traces` (JSON) for tests and scripts.
 */
export function createReceiverApp(store: TraceStore): Hono {
  const app = new Hono();

  app.post("/v1/traces", async (c) => {
    const contentType = c.req.header("content-type") ?? "";
    const json = contentType.startsWith("application/json");
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.byteLength > MAX_BODY_BYTES) return c.json({ code: 8, message: `Bodies are limited to ${MAX_BODY_BYTES} bytes.` }, 413);
    try {
      store.add(decodeTraceRequest(body, contentType, c.req.header("content-encoding")));
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      const status = /^Send /.test(error.message) ? 415 : 400;
      // OTLP answers a bad request with a google.rpc.Status; code 3 is INVALID_ARGUMENT.
      return c.json({ code: 3, message: error.message }, status);
    }
    // An empty ExportTraceServiceResponse: everything was accepted.
    return json ? c.json({}) : c.body(new Uint8Array(0), 200, { "content-type": "application/x-protobuf" });
  });

  app.get("/api/traces", (c) => c.json({ traces: store.list() }));
  app.get("/api/traces/:traceId", (c) => {
    const trace = traceIdPattern.test(c.req.param("traceId")) ? store.get(c.req.param("traceId")) : undefined;
    return trace ? c.json(trace) : c.json({ error: "No such trace (ids are 32 lowercase hex digits; only recent traces are kept)." }, 404);
  });
  app.delete("/api/traces", (c) => {
    store.clear();
    return c.body(null, 204);
  });

  app.get("/", (c) => c.html(listPage(store.list())));
  app.get("/traces/:traceId", (c) => {
    const trace = traceIdPattern.test(c.req.param("traceId")) ? store.get(c.req.param("traceId")) : undefined;
    return trace ? c.html(tracePage(trace)) : c.html(notFoundPage(), 404);
  });

  app.notFound((c) => c.json({ error: "Not found. Export to POST /v1/traces; read GET /api/traces." }, 404));
  return app;
}
