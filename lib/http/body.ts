import type { z } from "zod";
import { HttpError, invalidFields, invalidRequest } from "./errors";
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Reads the request's JSON body and validates it, throwing `HttpError`s the caller can act on. */
export async function parseJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<z.output<Schema>> {
  // Insisting on JSON also blocks cross-site form posts: a browser can only send this
  // content type cross-origin after a CORS preflight, which we never grant.
  if (!isJson(request.headers.get("content-type"))) {
    throw new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
  }

  const text = await readText(request, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }

  // Checked once here for every endpoint, before any schema: no handler can store it.
  const unstorable = findUnstorableText(json);
  if (unstorable) {
    const field = unstorable.join(".");
    if (!field) throw new HttpError(400, "invalid_request", UNSTORABLE_TEXT_MESSAGE);
    throw invalidFields({ [field]: UNSTORABLE_TEXT_MESSAGE });
  }

  const result = schema.safeParse(json);
  if (!result.success) throw invalidRequest(result.error);
  return result.data;
}

function isJson(contentType: string | null): boolean {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" || type?.endsWith("+json") === true;
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, "payload_too_large", `The request body must be at most ${maxBytes} bytes.`);

  if (Number(request.headers.get("content-length")) > maxBytes) throw tooLarge();
  if (!request.body) return "";

  // Content-Length may be missing (chunked uploads) or lie, so count what actually arrives
  // and stop reading as soon as the limit is passed.
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}
