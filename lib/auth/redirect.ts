export const AFTER_SIGN_IN_PATH = "/dashboard";

const BASE = "http://internal.invalid";

/**
 * `next` if it is a path on this site, else the dashboard. Every caller (pages, the
 * proxy, /auth/confirm) redirects to what this returns, so it is the one gate.
 *
 * `next` is resolved as a browser would resolve it (backslashes are slashes, tabs and
 * newlines vanish, `.`/`..`/`%2e` segments collapse) and the *resolved* path is what is
 * returned, so the browser gets nothing left to reinterpret. A resolved path that starts
 * with `//` is refused: `/.//evil.example` and `/a/..//evil.example` resolve to
 * `//evil.example`, which a browser reads as another host.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/")) return AFTER_SIGN_IN_PATH;
  try {
    const url = new URL(next, BASE);
    if (url.origin !== BASE || url.pathname.startsWith("//")) return AFTER_SIGN_IN_PATH;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return AFTER_SIGN_IN_PATH;
  }
}

/**
 * `/sign-in` or `/sign-up` carrying the visitor's way on: `next` when it leads anywhere but
 * the default, and the address to prefill (an invitation names it).
 */
export function authPageHref(page: "/sign-in" | "/sign-up", next: string, email?: string): string {
  const query = new URLSearchParams();
  if (next !== AFTER_SIGN_IN_PATH) query.set("next", next);
  if (email) query.set("email", email);
  const search = query.toString();
  return search ? `${page}?${search}` : page;
}
