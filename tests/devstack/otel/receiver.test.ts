import { gzipSync } from "node:zlib";
import { SpanKind, SpanStatusCode, context, trace, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTraceReceiver, type TraceReceiver } from "@/devstack/otel/server";
import { freePort } from "../../support/free-port";

let receiver: TraceReceiver;

beforeAll(async () => {
  receiver = await startTraceReceiver({ port: await freePort() });
});

afterAll(async () => {
  await receiver.close();
});

beforeEach(async () => {
  await fetch(`${receiver.url}/api/traces`, { method: "DELETE" });
});

const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.string(),
  durationMs: z.number(),
  attributes: z.record(z.string(), z.unknown()),
  status: z.object({ code: z.string(), message: z.string().optional() }),
  events: z.array(z.object({ name: z.string() })),
  service: z.string(),
  scope: z.string(),
});
const traceSchema = z.object({ traceId: z.string(), name: z.string(), spanCount: z.number(), errorCount: z.number(), spans: z.array(spanSchema) });

/** A parent with a child, made and exported by the official SDK through `exporter`. */
async function exportSampleTrace(exporter: SpanExporter) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "receiver-test" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer: Tracer = provider.getTracer("receiver-test-scope");
  const parent = tracer.startSpan("GET /parent", { kind: SpanKind.SERVER, attributes: { "http.route": "/parent", "http.status_code": 200 } });
  const child = tracer.startSpan(
    "child work",
    { attributes: { "work.items": [1, 2, 3], "work.ok": true, "work.ratio": 0.5 } },
    trace.setSpan(context.active(), parent),
  );
  child.addEvent("halfway", { step: 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "it broke" });
  child.end();
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: parent.spanContext().traceId, parentId: parent.spanContext().spanId, childId: child.spanContext().spanId };
}

async function readTrace(traceId: string) {
  const response = await fetch(`${receiver.url}/api/traces/${traceId}`);
  expect(response.status).toBe(200);
  return traceSchema.parse(await response.json());
}

describe.each([
  ["protobuf", () => new ProtobufExporter({ url: `${receiver.url}/v1/traces` })],
  ["JSON", () => new JsonExporter({ url: `${receiver.url}/v1/traces` })],
])("spans exported as %s", (_, makeExporter) => {
  it("are read back with their parents, kinds, attributes, events and status", async () => {
    const ids = await exportSampleTrace(makeExporter());
    const got = await readTrace(ids.traceId);
    expect(got).toMatchObject({ traceId: ids.traceId, name: "GET /parent", spanCount: 2, errorCount: 1 });
    const parent = got.spans.find((span) => span.spanId === ids.parentId);
    const child = got.spans.find((span) => span.spanId === ids.childId);
    expect(parent).toMatchObject({ name: "GET /parent", kind: "server", service: "receiver-test", scope: "receiver-test-scope" });
    expect(parent?.parentSpanId).toBeUndefined();
    expect(parent?.attributes).toMatchObject({ "http.route": "/parent", "http.status_code": 200 });
    expect(child).toMatchObject({
      name: "child work",
      kind: "internal",
      parentSpanId: ids.parentId,
      attributes: { "work.items": [1, 2, 3], "work.ok": true, "work.ratio": 0.5 },
      status: { code: "error", message: "it broke" },
      events: [{ name: "halfway" }],
    });
    expect(child?.durationMs).toBeGreaterThanOrEqual(0);

    const list = z.object({ traces: z.array(z.object({ traceId: z.string(), spanCount: z.number() })) }).parse(
      await (await fetch(`${receiver.url}/api/traces`)).json(),
    );
    expect(list.traces).toEqual([expect.objectContaining({ traceId: ids.traceId, spanCount: 2 })]);
  });
});

describe("the pages", () => {
  it("list traces and show one as a waterfall, escaping what was exported", async () => {
    const ids = await exportSampleTrace(new ProtobufExporter({ url: `${receiver.url}/v1/traces` }));
    const list = await (await fetch(receiver.url)).text();
    expect(list).toContain(`/traces/${ids.traceId}`);
    expect(list).toContain("GET /parent");
    const page = await fetch(`${receiver.url}/traces/${ids.traceId}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("child work");
    expect(text).toContain('class="bar error"');

    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new JsonExporter({ url: `${receiver.url}/v1/traces` }))] });
    const hostile = provider.getTracer("t").startSpan("<script>alert(1)</script>");
    hostile.end();
    await provider.forceFlush();
    const hostilePage = await (await fetch(`${receiver.url}/traces/${hostile.spanContext().traceId}`)).text();
    expect(hostilePage).not.toContain("<script>alert(1)</script>");
    expect(hostilePage).toContain("&lt;script&gt;");
  });

  it("answer an unknown trace with 404", async () => {
    expect((await fetch(`${receiver.url}/traces/${"0".repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${receiver.url}/api/traces/not-an-id`)).status).toBe(404);
  });
});

describe("bad exports", () => {
  const post = (body: BodyInit, headers: Record<string, string>) => fetch(`${receiver.url}/v1/traces`, { method: "POST", body, headers });

  it("are refused with a reason, not stored", async () => {
    const notProtobuf = await post(new Uint8Array([0xff, 0xff, 0xff]), { "content-type": "application/x-protobuf" });
    expect(notProtobuf.status).toBe(400);
    const badJson = await post("{", { "content-type": "application/json" });
    expect(badJson.status).toBe(400);
    const badId = await post(
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "xyz", spanId: "00", name: "x", startTimeUnixNano: "1", endTimeUnixNano: "2" }] }] }] }),
      { "content-type": "application/json" },
    );
    expect(badId.status).toBe(400);
    expect(z.object({ message: z.string() }).parse(await badId.json()).message).toMatch(/traceId/);
    const badGzip = await post("not gzip", { "content-type": "application/json", "content-encoding": "gzip" });
    expect(badGzip.status).toBe(400);
    const text = await post("hello", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(z.object({ traces: z.array(z.unknown()) }).parse(await (await fetch(`${receiver.url}/api/traces`)).json()).traces).toEqual([]);
  });

});

describe("a gzipped export (OTEL_EXPORTER_OTLP_COMPRESSION=gzip)", () => {
  const post = (body: BodyInit, headers: Record<string, string>) => fetch(`${receiver.url}/v1/traces`, { method: "POST", body, headers });

  it("is unpacked", async () => {
    const traceId = "5b8efff798038103d269b633813fc60c";
    const span = { traceId, spanId: "eee19b7ec3c1b174", name: "zipped", kind: 2, startTimeUnixNano: "1000000", endTimeUnixNano: 3000000 };
    const zipped = await post(gzipSync(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })), {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(zipped.status).toBe(200);
    expect((await readTrace(traceId)).spans).toEqual([expect.objectContaining({ name: "zipped", kind: "server", durationMs: 2, service: "unknown" })]);
  });
});
