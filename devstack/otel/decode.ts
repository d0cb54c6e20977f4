import { gunzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { z } from "zod";

/**
 * OTLP/HTTP trace requests, as an exporter sends them to `POST /v1/traces`: protobuf
 * (`application/x-protobuf`, the exporters' default) or JSON (`application/json`), either
 * possibly gzipped. Both decode to the same spans.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export const spanKinds = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
const statusCodes = ["unset", "ok", "error"] as const;

export type ReceivedSpan = {
  traceId: string;
  spanId: string;
  /** Absent on a trace's root span. */
  parentSpanId?: string;
  name: string;
  kind: (typeof spanKinds)[number];
  /** Nanoseconds since the epoch, as strings: they don't fit a double exactly. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  attributes: Attributes;
  status: { code: (typeof statusCodes)[number]; message?: string };
  events: { name: string; timeUnixNano: string; attributes: Attributes }[];
  /** The resource's `service.name`. */
  service: string;
  /** The instrumentation scope (tracer) that made it. */
  scope: string;
};

export class OtlpDecodeError extends Error {}

const root = protobuf.loadSync(new URL("./trace.proto", import.meta.url).pathname);
const requestType = root.lookupType("opentelemetry.proto.ExportTraceServiceRequest");

// OTLP/JSON per the spec: lowerCamelCase keys, ids as hex, 64-bit integers as strings or numbers.
// The protobuf form, turned into an object by protobufjs, takes the same shape once its ids are hex.
const nanos = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const hexId = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `a ${bytes}-byte hex id`);

type AnyValueInput = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValueInput[] };
  kvlistValue?: { values?: { key: string; value?: AnyValueInput }[] };
  bytesValue?: string;
};
const anyValue: z.ZodType<AnyValueInput> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.number().optional(),
    arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(z.object({ key: z.string(), value: anyValue.optional() })).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValues = z.array(z.object({ key: z.string(), value: anyValue.optional() })).default([]);

const requestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: keyValues }).optional(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().default("") }).optional(),
              spans: z
                .array(
                  z.object({
                    traceId: hexId(16),
                    spanId: hexId(8),
                    parentSpanId: z.union([hexId(8), z.literal("")]).optional(),
                    name: z.string(),
                    kind: z.number().int().min(0).max(5).default(0),
                    startTimeUnixNano: nanos,
                    endTimeUnixNano: nanos,
                    attributes: keyValues,
                    events: z
                      .array(z.object({ name: z.string().default(""), timeUnixNano: nanos, attributes: keyValues }))
                      .default([]),
                    status: z.object({ code: z.number().int().min(0).max(2).default(0), message: z.string().optional() }).optional(),
                  }),
                )
                .default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});

function valueOf(value: AnyValueInput | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values ?? []);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function attributesOf(list: { key: string; value?: AnyValueInput }[]): Attributes {
  return Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));
}

const base64ToHex = (value: unknown) => (typeof value === "string" ? Buffer.from(value, "base64").toString("hex") : value);

/** protobufjs gives bytes as base64; OTLP/JSON has ids in hex. */
function protobufIdsToHex(request: Record<string, unknown>): unknown {
  const resourceSpans = (request.resourceSpans ?? []) as { scopeSpans?: { spans?: Record<string, unknown>[] }[] }[];
  for (const resource of resourceSpans) {
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        for (const key of ["traceId", "spanId", "parentSpanId"]) span[key] = base64ToHex(span[key]);
      }
    }
  }
  return request;
}

/** Decodes one request's body into its spans, or throws OtlpDecodeError saying what is wrong. */
export function decodeTraceRequest(body: Buffer, contentType: string, contentEncoding?: string | null): ReceivedSpan[] {
  let bytes = body;
  if (contentEncoding === "gzip") {
    try {
      bytes = gunzipSync(body);
    } catch {
      throw new OtlpDecodeError("The body is not valid gzip.");
    }
  }
  const type = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  let raw: unknown;
  if (type === "application/x-protobuf" || type === "application/protobuf") {
    try {
      const message = requestType.decode(bytes);
      raw = protobufIdsToHex(requestType.toObject(message, { longs: String, bytes: String, enums: Number }));
    } catch {
      throw new OtlpDecodeError("The body is not an OTLP ExportTraceServiceRequest in protobuf.");
    }
  } else if (type === "application/json") {
    try {
      raw = JSON.parse(bytes.toString("utf8"));
    } catch {
      throw new OtlpDecodeError("The body is not JSON.");
    }
  } else {
    throw new OtlpDecodeError("Send application/x-protobuf or application/json.");
  }
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OtlpDecodeError(`Not an OTLP trace request: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`);
  }
  return parsed.data.resourceSpans.flatMap((resource) => {
    const resourceAttributes = attributesOf(resource.resource?.attributes ?? []);
    const service = typeof resourceAttributes["service.name"] === "string" ? resourceAttributes["service.name"] : "unknown";
    return resource.scopeSpans.flatMap((scopeSpans) =>
      scopeSpans.spans.map(
        (span): ReceivedSpan => ({
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          name: span.name,
          kind: spanKinds[span.kind] ?? "unspecified",
          startTimeUnixNano: span.startTimeUnixNano,
          endTimeUnixNano: span.endTimeUnixNano,
          durationMs: Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6,
          attributes: attributesOf(span.attributes),
          status: {
            code: statusCodes[span.status?.code ?? 0] ?? "unset",
            ...(span.status?.message ? { message: span.status.message } : {}),
          },
          events: span.events.map((event) => ({ name: event.name, timeUnixNano: event.timeUnixNano, attributes: attributesOf(event.attributes) })),
          service,
          scope: scopeSpans.scope?.name ?? "",
        }),
      ),
    );
  });
}
