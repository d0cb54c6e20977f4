/**
 * The security headers of every response, in one place: next.config.ts sends them on
 * everything the proxy doesn't handle (API answers, static files, Next's own assets), and
 * proxy.ts on pages, whose Content-Security-Policy carries a fresh nonce per request.
 * Nothing here reads the environment, so next.config.ts can use it at build time.
 */

/** Headers every response carries, whatever it is. */
export const commonSecurityHeaders: Readonly<Record<string, string>> = {
  // A response is only ever what its Content-Type says (no sniffing JSON into HTML).
  "X-Content-Type-Options": "nosniff",
  // Other sites learn our origin from a link, never the path (which may hold ids or tokens).
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // frame-ancestors 'none' says the same to browsers that read CSP; this is for those that don't.
  "X-Frame-Options": "DENY",
};

/**
 * For anything that is not a page (JSON, CSV, icons, scripts): nothing it contains may
 * load or run anything, and nobody may frame it. An SVG icon or a JSON error opened
 * directly in a tab is inert.
 */
export const resourceContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A page's policy: exactly what the app loads. Scripts only with this response's nonce,
 * which Next.js puts on its own scripts when it finds the policy in the request
 * ('strict-dynamic' lets those load the chunks they import); styles from our own CSS files
 * (Tailwind's, uPlot's) or with the nonce, and inline `style` attributes, which React
 * renders for progress bars and cannot run anything; images from here or drawn (data:,
 * blob:); requests only to this origin (the API; in development also Next's HMR socket).
 * `next dev` needs 'unsafe-eval' for React's debugging aids and inline styles for its
 * overlay; production builds need neither.
 */
export function pageContentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    // Next's dev overlay injects <style> elements without the nonce; a nonce would make
    // browsers ignore 'unsafe-inline', so development allows inline styles instead.
    options.development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/** A nonce for one response: 128 random bits, base64 (what CSP's nonce-source expects). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** As next.config.ts `headers()` takes them. */
export function asHeaderList(headers: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.entries(headers).map(([key, value]) => ({ key, value }));
}
