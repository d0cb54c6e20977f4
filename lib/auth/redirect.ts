export const AFTER_SIGN_IN_PATH = "/dashboard";

const BASE = "http://internal.invalid";

/**
 * `next` if it is a path on this site, else the dashboard. Parsing it as a URL, as a
 * browser would, rejects the open-redirect tricks (`//evil.com`, `/\evil.com`,
 * `/\t/evil.com`) that a plain `startsWith("/")` lets through.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/")) return AFTER_SIGN_IN_PATH;
  try {
    const url = new URL(next, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : AFTER_SIGN_IN_PATH;
  } catch {
    return AFTER_SIGN_IN_PATH;
  }
}
