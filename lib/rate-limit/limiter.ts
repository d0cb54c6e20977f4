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
    : // Retry-After is whole seconds; rounding up means a client that honours it isn't refused again.
      { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(data.retry_after_ms / 1000)) };
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

/** "1 second", "2 minutes": for messages that say how long to wait. */
export function describeWait(seconds: number): string {
  if (seconds < 90) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
