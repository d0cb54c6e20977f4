import type { NextRequest } from "next/server";
import { updateSession } from "@/lib/supabase/proxy";

export function proxy(request: NextRequest) {
  return updateSession(request);
}

export const config = {
  matcher: [
    // Pages only. Skipped:
    // - /api: route handlers authenticate through lib/http and write refreshed cookies
    //   themselves, and /api/inngest must never be intercepted (Inngest syncs fail);
    // - Next's build output and image optimiser, and static files served by extension.
    "/((?!api(?:/|$)|_next/static|_next/image|favicon\\.ico|.*\\.(?:css|js|map|txt|xml|json|webmanifest|ico|png|jpg|jpeg|gif|webp|avif|svg|woff2?)$).*)",
  ],
};
