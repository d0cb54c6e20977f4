import type { NextRequest } from "next/server";
import { HttpError } from "./errors";

/** Methods a page on another site must not be able to make us perform. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that a browser says came from another site, so a page
 * elsewhere can't sign someone up, out, or change their password with their cookies
 * (CSRF). Browsers send `Sec-Fetch-Site` and `Origin` and pages can't forge either; callers
 * that are not browsers (monitors, Inngest, mail servers) send neither and pass.
 * The origin is compared with the host the request was sent to, as Next.js does for
 * server actions, so both http://localhost:3000 and http://127.0.0.1:3000 work locally.
 */
export function refuseCrossSite(request: NextRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const crossSite = site === "cross-site" || (origin !== null && originHost(origin) !== host);
  if (crossSite) {
    throw new HttpError(403, "cross_site_request", "Requests from other sites are refused.");
  }
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // "null" (sandboxed frames, file://) or garbage: never this site
  }
}
