import { HttpError } from "./errors";

/** Printable ASCII, at most 200 characters; `enqueue_report` checks the same before storing one. */
const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

/** The optional `Idempotency-Key` header of `request`; a malformed one is a 400. */
export function parseIdempotencyKey(request: Request): string | undefined {
  const header = request.headers.get("idempotency-key");
  if (header === null) return undefined;
  if (!idempotencyKeyPattern.test(header)) {
    throw new HttpError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 200 printable ASCII characters.");
  }
  return header;
}
