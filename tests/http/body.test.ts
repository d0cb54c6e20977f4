/**
 * `parseJsonBody`: the one place a request's JSON body is read. Every refusal is an
 * `HttpError` with the status and code the client shows; what passes is the schema's output.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody } from "@/lib/http/body";
import { HttpError } from "@/lib/http/errors";
import { UNSTORABLE_TEXT_MESSAGE } from "@/lib/http/text";

const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()).default([]) });
const JSON_TYPE = { "content-type": "application/json" };

function post(body: BodyInit | null, headers: Record<string, string> = JSON_TYPE) {
  return new Request("http://app.test/api/thing", { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

/** A body that arrives in these chunks, with no Content-Length (as a chunked upload does); records how far it was read. */
function chunked(chunks: (string | Uint8Array)[]) {
  const encoder = new TextEncoder();
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[seen.pulled++];
      if (chunk === undefined) return controller.close();
      controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 }); // nothing is pulled until someone reads
  return { stream, seen };
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const error: unknown = await promise.then(
    (value) => {
      throw new Error(`accepted: ${JSON.stringify(value)}`);
    },
    (caught: unknown) => caught,
  );
  if (!(error instanceof HttpError)) throw error;
  return error;
}

describe("parseJsonBody: content type", () => {
  it.each(["application/json", "application/json; charset=utf-8", "Application/JSON", " application/json ;charset=UTF-8", "application/merge-patch+json", "application/vnd.api+json"])(
    "reads a body sent as %j",
    async (type) => {
      await expect(parseJsonBody(post('{"name":"Ada"}', { "content-type": type }), schema)).resolves.toEqual({ name: "Ada", tags: [] });
    },
  );

  it.each([
    ["no content type", {}],
    ["text/plain (what a cross-site form may send)", { "content-type": "text/plain" }],
    ["a form", { "content-type": "application/x-www-form-urlencoded" }],
    ["multipart", { "content-type": "multipart/form-data; boundary=x" }],
    ["a type that only starts like JSON", { "content-type": "application/jsonp" }],
    ["JSON named in a parameter only", { "content-type": "text/plain; type=application/json" }],
  ])("refuses %s with 415 before reading the body", async (_what, headers) => {
    const { stream, seen } = chunked(['{"name":"Ada"}']);
    const error = await refusal(parseJsonBody(post(stream, headers), schema));
    expect(error).toMatchObject({ status: 415, code: "unsupported_media_type", message: "Send the body as application/json." });
    expect(seen.pulled).toBe(0);
  });
});

describe("parseJsonBody: size", () => {
  it("takes up to 64 KiB by default", () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(65_536);
  });

  it("refuses a declared Content-Length over the limit with 413 without reading the body", async () => {
    const { stream, seen } = chunked(['{"name":"Ada"}']);
    const error = await refusal(parseJsonBody(post(stream, { ...JSON_TYPE, "content-length": "11" }), schema, 10));
    expect(error).toMatchObject({ status: 413, code: "payload_too_large", message: "The request body must be at most 10 bytes." });
    expect(seen.pulled).toBe(0);
  });

  it("accepts a body of exactly the limit", async () => {
    const body = '{"name":"Ada"}';
    await expect(parseJsonBody(post(body), schema, body.length)).resolves.toEqual({ name: "Ada", tags: [] });
  });

  it("counts bytes, not characters", async () => {
    const body = '{"name":"Zoë"}'; // 14 characters, 15 bytes
    expect((await refusal(parseJsonBody(post(body), schema, 14))).status).toBe(413);
    await expect(parseJsonBody(post(body), schema, 15)).resolves.toEqual({ name: "Zoë", tags: [] });
  });

  it("counts what arrives when there is no Content-Length, and stops reading once over the limit", async () => {
    const { stream, seen } = chunked(['{"name":"', "aaaaaaaaaa", "aaaaaaaaaa", "aaaaaaaaaa", '"}']);
    const error = await refusal(parseJsonBody(post(stream), schema, 15));
    expect(error.status).toBe(413);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(5);
  });

  it("doesn't trust a Content-Length that understates the body", async () => {
    const { stream } = chunked(['{"name":"', "a".repeat(100), '"}']);
    const error = await refusal(parseJsonBody(post(stream, { ...JSON_TYPE, "content-length": "5" }), schema, 50));
    expect(error.status).toBe(413);
  });

  it("decodes a character split across chunks", async () => {
    const bytes = new TextEncoder().encode('{"name":"🔑é"}');
    const { stream } = chunked([bytes.slice(0, 10), bytes.slice(10, 12), bytes.slice(12)]);
    await expect(parseJsonBody(post(stream), schema)).resolves.toEqual({ name: "🔑é", tags: [] });
  });
});

describe("parseJsonBody: JSON", () => {
  it.each([
    ["no body at all", null],
    ["an empty body", ""],
    ["whitespace", "  \n"],
    ["a truncated object", '{"name":"Ada"'],
    ["a trailing comma", '{"name":"Ada",}'],
    ["single quotes", "{'name':'Ada'}"],
    ["a form body", "name=Ada"],
    ["two documents", '{"name":"Ada"}{"name":"Bob"}'],
  ])("refuses %s with 400 invalid_json", async (_what, body) => {
    const error = await refusal(parseJsonBody(post(body), schema));
    expect(error).toMatchObject({ status: 400, code: "invalid_json", message: "The request body is not valid JSON." });
  });

  it("refuses valid JSON the schema doesn't accept, naming the fields", async () => {
    const error = await refusal(parseJsonBody(post('{"name":"","tags":[1]}'), schema));
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["name", "tags.0"]);
  });

  it("refuses JSON that isn't an object when the schema wants one", async () => {
    for (const body of ["null", "[]", '"Ada"', "42"]) {
      expect((await refusal(parseJsonBody(post(body), schema))).code).toBe("invalid_request");
    }
  });

  it("returns the schema's output (defaults and transforms applied)", async () => {
    const trimmed = z.object({ name: z.string().transform((name) => name.trim()) });
    await expect(parseJsonBody(post('{"name":"  Ada  ","extra":1}'), trimmed)).resolves.toEqual({ name: "Ada" });
  });
});

describe("parseJsonBody: text Postgres can't store", () => {
  it("refuses a NUL in a field, naming its path, before the schema runs", async () => {
    // The schema would refuse `tags` too: the unstorable text is reported instead.
    const error = await refusal(parseJsonBody(post('{"name":"Ada","tags":["ok",7],"note":{"text":"a\\u0000b"}}'), schema));
    expect(error).toMatchObject({ status: 400, code: "invalid_request", fields: { "note.text": UNSTORABLE_TEXT_MESSAGE } });
  });

  it("refuses half of an emoji in a key", async () => {
    const error = await refusal(parseJsonBody(post('{"name":"Ada","\\ud83d":1}'), schema));
    expect(error.fields).toEqual({ "\ud83d": UNSTORABLE_TEXT_MESSAGE });
  });

  it("refuses a body that is itself an unstorable string, with no field to name", async () => {
    const error = await refusal(parseJsonBody(post('"\\u0000"'), z.string()));
    expect(error).toMatchObject({ status: 400, code: "invalid_request", message: UNSTORABLE_TEXT_MESSAGE });
    expect(error.fields).toBeUndefined();
  });

  it("keeps a whole emoji and other text Postgres stores", async () => {
    await expect(parseJsonBody(post('{"name":"\\ud83d\\udd11 Zoë\\t李"}'), schema)).resolves.toEqual({ name: "🔑 Zoë\t李", tags: [] });
  });
});
