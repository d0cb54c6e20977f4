import type { NextConfig } from "next";
import { asHeaderList, commonSecurityHeaders, resourceContentSecurityPolicy } from "./lib/http/security-headers";

/**
 * Where proxy.ts doesn't run (see its matcher): API answers, Next's build output and image
 * optimiser, and files served by extension. Those get the resource policy here; every other
 * path is a page, and the proxy gives it the page policy with a fresh nonce. The two sets
 * don't overlap, so no response carries two policies (a browser would enforce both).
 */
const notPages = [
  "/api/:path*",
  "/_next/static/:path*",
  "/_next/image",
  "/favicon.ico",
  "/:file(.*\\.(?:css|js|map|txt|xml|json|webmanifest|ico|png|jpg|jpeg|gif|webp|avif|svg|woff2?))",
];

/**
 * Route handlers named `route.bench.ts` (app/api/bench/**) are the floor `npm run bench
 * reports` compares the real routes with: the least work a request can do, with no
 * authentication or validation, so they must never be served by a real deployment. They
 * are routes only in a build made with OFFLOAD_BENCH_ROUTES=1, which only bench/app.ts
 * sets; every other build sees Next's default extensions and ignores the files.
 */
export function pageExtensions(environment: Record<string, string | undefined> = process.env): string[] {
  const defaults = ["tsx", "ts", "jsx", "js"];
  return environment.OFFLOAD_BENCH_ROUTES === "1" ? [...defaults, "bench.ts"] : defaults;
}

const nextConfig: NextConfig = {
  // The e2e build sets NEXT_DIST_DIR=.next-e2e so it never clobbers a developer's .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  pageExtensions: pageExtensions(),
  // Loaded with Node's own require, once per server process, instead of bundled into every
  // route: supabase-js prints its "Node.js 20 is deprecated" notice when its module is
  // evaluated, so bundled it was printed once per compiled route (over a hundred times in
  // a dev session). It is plain server-safe JavaScript, so nothing else changes.
  serverExternalPackages: ["@supabase/supabase-js"],
  // Says nothing a visitor needs, and tells a scanner which exploits to try.
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/:path*", headers: asHeaderList(commonSecurityHeaders) },
      ...notPages.map((source) => ({
        source,
        headers: asHeaderList({ "Content-Security-Policy": resourceContentSecurityPolicy }),
      })),
    ];
  },
};

export default nextConfig;
