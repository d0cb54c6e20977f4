import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";
import { HttpError } from "@/lib/http/errors";
import type { Db } from "@/lib/supabase/db";

/**
 * A per-organisation rate limit, enforced in Postgres (`take_rate_limit_token`) so that
 * every serverless instance counts against the same bucket. It is a token bucket: a burst
 * of up to `limit` requests, refilled at `limit` per `windowSeconds`.
 */
export type RateLimit = {
  /** Names the bucket: routes that share a name share the count. */
  bucket: string;
  limit: number;
  windowSeconds: number;
};

export type RateLimitDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; retryAfterSeconds: number };

/**
 * Takes one token from the organisation's bucket. Needs the service role (the function
 * isn't granted to users). A refusal records nothing, so it costs the caller no tokens.
 */
export async function takeRateLimitToken(db: Db, orgId: string, limit: RateLimit): Promise<RateLimitDecision> {
  const { data, error } = await db
    .rpc("take_rate_limit_token", {
      p_org_id: orgId,
      p_bucket: limit.bucket,
      p_limit: limit.limit,
      p_window_seconds: limit.windowSeconds,
    })
    .single();
  if (error) throw new Error(`Could not check the "${limit.bucket}" rate limit: ${error.message}`, { cause: error });
  return data.allowed
    ? { allowed: true, remaining: data.remaining }
    : { allowed: false, retryAfterSeconds: retryAfterSeconds(data.retry_after_ms) };
}

/**
 * A limiter's wait as Retry-After's whole seconds, rounded up, so a client that honours it
 * isn't refused again.
 */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The 429 a route answers when the limit is reached: a message for people, Retry-After for clients. */
export function rateLimitedError(retryAfterSeconds: number, message: string): HttpError {
  return new HttpError(429, "rate_limited", message, undefined, { "Retry-After": String(retryAfterSeconds) });
}

/** Takes a token, or throws the 429 that says when to come back. */
export async function enforceRateLimit(db: Db, orgId: string, limit: RateLimit, message: string): Promise<void> {
  const decision = await takeRateLimitToken(db, orgId, limit);
  if (!decision.allowed) throw rateLimitedError(decision.retryAfterSeconds, message);
}

/**
 * A rate limit for callers who have no organisation yet: someone signing in or up,
 * counted per client IP or per email address (`take_keyed_rate_limit_token`). The key is
 * stored only as an HMAC (see keyHash), never as the address itself.
 */
export async function takeKeyedRateLimitToken(
  db: Db,
  limit: RateLimit,
  key: string,
  options: { cost?: number } = {},
): Promise<RateLimitDecision> {
  const { data, error } = await db
    .rpc("take_keyed_rate_limit_token", {
      p_bucket: limit.bucket,
      p_key_hash: keyHash(key),
      p_limit: limit.limit,
      p_window_seconds: limit.windowSeconds,
      p_cost: options.cost ?? 1,
    })
    .single();
  if (error) throw new Error(`Could not check the "${limit.bucket}" rate limit: ${error.message}`, { cause: error });
  return data.allowed
    ? { allowed: true, remaining: data.remaining }
    : { allowed: false, retryAfterSeconds: retryAfterSeconds(data.retry_after_ms) };
}

/**
 * What the limiter stores for a key: an HMAC-SHA256, keyed with the server's secret key.
 * A plain hash of an email or an IPv4 address is undone by hashing every candidate; this
 * one can't be without the secret. Rotating the secret only empties the buckets.
 */
function keyHash(key: string): string {
  return createHmac("sha256", env().SUPABASE_SECRET_KEY).update(`rate-limit:${key}`).digest("hex");
}
