import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { HttpError } from "./errors";

/** Methods a page on another site must not be able to make us perform. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * `Sec-Fetch-Site` values that say the request came from this origin's own pages, or from
 * the person themselves (typed URL, bookmark). `same-site` is refused: a page on another
 * subdomain or port of the same site (a user-content host, a preview, a dev tool on
 * another port) is a different origin and may not act with this one's cookies.
 */
const OWN_FETCH_SITES = new Set(["same-origin", "none"]);

const crossSiteError = () => new HttpError(403, "cross_site_request", "Requests from other sites are refused.");

/**
 * Refuses a state-changing request that a browser says came from another origin, so a
 * page elsewhere (another site, or another subdomain or port of this one) can't sign
 * someone up or out, cancel their jobs or change their settings with their cookies (CSRF).
 * Browsers send `Sec-Fetch-Site` and `Origin` and pages can't forge either; callers that
 * are not browsers (monitors, mail servers, scripts) send neither and pass.
 *
 * An `Origin` must be this app's: APP_URL's origin, or the origin the request was sent to
 * (the Host, as Next.js checks server actions), so http://localhost:3000 and
 * http://127.0.0.1:3000 both work locally and a proxy that keeps the Host works too.
 */
export function refuseCrossSite(request: NextRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && !OWN_FETCH_SITES.has(site)) throw crossSiteError();
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== requestedOrigin(request) && origin !== new URL(env().APP_URL).origin) {
    throw crossSiteError();
  }
}

/**
 * Refuses every request a browser makes, for endpoints only servers call. The Inngest
 * endpoint runs functions on an unsigned POST when it serves a dev server, so a page
 * (any site's) could otherwise start a run with an event of its choosing on a developer's
 * machine; Inngest's servers send neither header.
 */
export function refuseBrowsers(request: NextRequest): void {
  if (request.headers.has("origin")) throw crossSiteError();
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "none") throw crossSiteError();
}

/**
 * The origin the browser sent the request to, as it spells it in `Origin`: the Host (or
 * the one a proxy in front forwarded) with the scheme the request came in on.
 */
function requestedOrigin(request: NextRequest): string | null {
  const host = firstValue(request.headers.get("x-forwarded-host") ?? request.headers.get("host"));
  if (!host) return null;
  const protocol = firstValue(request.headers.get("x-forwarded-proto")) ?? request.nextUrl.protocol.replace(/:$/, "");
  try {
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    return null;
  }
}

/** A proxy chain may list several values, the first being the client-facing one. */
function firstValue(header: string | null): string | null {
  return header?.split(",")[0]?.trim() || null;
}
