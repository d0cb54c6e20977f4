import { NextRequest } from "next/server";
import { commonSecurityHeaders, newNonce, pageContentSecurityPolicy } from "@/lib/http/security-headers";
import { updateSession } from "@/lib/supabase/proxy";

/**
 * Every page gets a Content-Security-Policy with a nonce of its own. Next.js reads the
 * nonce from the policy in the request and puts it on the scripts it renders, so the
 * policy goes on the request that reaches the page as well as on the response.
 */
export async function proxy(request: NextRequest) {
  const policy = pageContentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  const response = await updateSession(new NextRequest(request, { headers }));
  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of Object.entries(commonSecurityHeaders)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    // Pages only (next.config.ts gives everything else its headers). Skipped:
    // - /api: route handlers authenticate through lib/http and write refreshed cookies
    //   themselves, and /api/inngest must never be intercepted (Inngest syncs fail);
    // - Next's build output and image optimiser, and static files served by extension.
    "/((?!api(?:/|$)|_next/static|_next/image|favicon\\.ico|.*\\.(?:css|js|map|txt|xml|json|webmanifest|ico|png|jpg|jpeg|gif|webp|avif|svg|woff2?)$).*)",
  ],
};
