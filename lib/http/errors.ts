import type { z } from "zod";

/** Messages keyed by field path (`email`, `address.city`), shown beside the inputs. */
export type FieldErrors = Record<string, string>;

/** What an error may carry beside `error`, at the top level of its body (an `error` key is overridden). */
export type ErrorExtras = Record<string, unknown>;

/**
 * The JSON body of every error response from our API: `error`, and only where an
 * endpoint documents it, data beside it (a 409 `selection_changed` carries the new `preview`).
 */
export type ErrorBody = {
  error: { code: string; message: string; fields?: FieldErrors };
};

/**
 * An error whose message is meant for the caller. Route handlers throw it; `route()`
 * answers with its status, its `headers` (e.g. `Retry-After` on a 429) and an
 * `ErrorBody` with its `extras` beside `error`; `lib/http/client.ts` rebuilds it in the browser.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldErrors;
  readonly headers?: Record<string, string>;
  readonly extras?: ErrorExtras;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: FieldErrors,
    headers?: Record<string, string>,
    extras?: ErrorExtras,
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
    this.extras = extras;
  }

  toBody(): ErrorExtras & ErrorBody {
    return { ...this.extras, error: { code: this.code, message: this.message, fields: this.fields } };
  }
}

/** The one way a refused input is told: 400 `invalid_request`, "Check these fields: a, b.", a message per field. */
export function invalidFields(fields: FieldErrors): HttpError {
  return new HttpError(400, "invalid_request", `Check these fields: ${Object.keys(fields).join(", ")}.`, fields);
}

/**
 * A zod error as `invalidFields`, each field with its first issue's message. Issues about
 * the whole value (no path) are named `fallbackField` when given (a query string's
 * `query`), else the first one's message is the error's.
 */
export function invalidRequest(error: z.ZodError, fallbackField?: string): HttpError {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || fallbackField;
    if (path) fields[path] ??= issue.message;
  }
  if (Object.keys(fields).length > 0) return invalidFields(fields);
  return new HttpError(400, "invalid_request", error.issues[0]?.message ?? "Invalid request.");
}
