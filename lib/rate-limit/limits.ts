import { env } from "@/lib/env";
import type { RateLimit } from "./limiter";

/**
 * The app's rate limits, one per kind of work a user can ask for in bulk. An enqueue route
 * takes a token from its limit before it writes anything (see lib/reports/enqueue.ts).
 */

/** `POST /api/reports`: REPORTS_RATE_LIMIT per REPORTS_RATE_LIMIT_WINDOW_SECONDS per organisation. */
export function reportRequestLimit(): RateLimit {
  const { REPORTS_RATE_LIMIT, REPORTS_RATE_LIMIT_WINDOW_SECONDS } = env();
  return { bucket: "reports", limit: REPORTS_RATE_LIMIT, windowSeconds: REPORTS_RATE_LIMIT_WINDOW_SECONDS };
}
