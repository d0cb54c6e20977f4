/** Messages keyed by field path (`email`, `address.city`), shown beside the inputs. */
export type FieldErrors = Record<string, string>;

/** The JSON body of every error response from our API. */
export type ErrorBody = {
  error: { code: string; message: string; fields?: FieldErrors };
};

/**
 * An error whose message is meant for the caller. Route handlers throw it; `route()`
 * answers with its status, its `headers` (e.g. `Retry-After` on a 429) and an
 * `ErrorBody`; `postJson()` rebuilds it in the browser.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldErrors;
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: FieldErrors,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, fields: this.fields } };
  }

  static fromBody(status: number, body: unknown): HttpError {
    // Our API always answers errors with an ErrorBody; anything else came from in between
    // (a proxy, a crashed server), so fall back to a generic message.
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    return new HttpError(
      status,
      error?.code ?? "http_error",
      error?.message ?? "Something went wrong. Please try again.",
      error?.fields,
    );
  }
}
