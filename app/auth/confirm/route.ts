import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { afterConfirmationPath, verifyEmailLink, type VerifiedLink } from "@/lib/auth/accounts";
import { safeNextPath } from "@/lib/auth/redirect";
import { emailLinkSchema } from "@/lib/auth/schemas";
import { emitUserSignedUp } from "@/lib/auth/welcome";
import { createServerSupabase } from "@/lib/supabase/server";
import { log, logRequest } from "@/lib/observability/log";

/**
 * Where the emailed links land (supabase/templates): `?token_hash&type&next`, the SSR
 * guide's flow. The token is verified here on the server, so the session is set in
 * cookies whichever browser opens the link. Success goes to `next` (a path on this
 * site); a wrong, used or expired link goes to /auth/error, which says what to do.
 * It answers with a redirect, never an error page, whatever the query holds.
 */
export async function GET(request: NextRequest): Promise<never> {
  const started = performance.now();
  // Every way out is redirect()'s 307, unless something throws (Next answers 500).
  let status = 500;
  try {
    const destination = await confirm(request);
    status = 307;
    redirect(destination);
  } finally {
    // This handler is not a route(): its request line is written here.
    logRequest({ method: "GET", route: "/auth/confirm", status, durationMs: Math.round(performance.now() - started) });
  }
}

/** Verifies the link and says where to go next. */
async function confirm(request: NextRequest): Promise<string> {
  const link = emailLinkSchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!link.success) return "/auth/error?reason=invalid";

  let verified: VerifiedLink;
  try {
    verified = await verifyEmailLink(await createServerSupabase(), link.data);
  } catch (error) {
    log().error({ err: error }, "Supabase Auth could not verify a confirmation link");
    return "/auth/error?reason=unavailable";
  }
  if (!verified.ok) return `/auth/error?reason=${verified.reason}&type=${link.data.type}`;

  // The address is now known to be theirs: welcome them (once, whichever path got here first).
  if ((verified.type === "email" || verified.type === "signup") && verified.user) await emitUserSignedUp(verified.user);

  const fallback = verified.type === "recovery" ? "/reset-password" : undefined;
  // A sign-up made on the way somewhere (an invitation) goes on there, not to the dashboard.
  const signedUpFor = verified.type === "email" || verified.type === "signup" ? afterConfirmationPath(verified.user) : null;
  return safeNextPath(signedUpFor ?? link.data.next ?? fallback);
}
