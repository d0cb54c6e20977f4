import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError } from "./errors";

/**
 * Checks `Authorization: Bearer <token>` against `secret` in constant time (both sides are
 * hashed first, so neither the secret's length nor its prefix leaks through timing).
 * Without a secret the endpoint is off, and answers as if it didn't exist.
 */
export function authorizeBearer(request: Request, secret: string | undefined): void {
  if (!secret) throw new HttpError(404, "not_found", "Nothing here.");
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  if (!timingSafeEqual(digest(token), digest(secret))) {
    throw new HttpError(401, "unauthorized", "A valid bearer token is required.", undefined, {
      "WWW-Authenticate": "Bearer",
    });
  }
}
