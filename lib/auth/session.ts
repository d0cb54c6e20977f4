import type { Db } from "@/lib/supabase/db";

/** Who a verified session belongs to: what the access token's claims say. */
export type SessionUser = { id: string; email: string };

/**
 * The caller's session, verified, or null when there is none (or it doesn't verify).
 * With asymmetric signing keys `getClaims()` checks the access token's signature and
 * expiry against the project's JWKS (fetched once, then cached), so this makes no request
 * to Supabase Auth, except to refresh an expired token.
 */
export async function getSessionUser(supabase: Db): Promise<SessionUser | null> {
  const { data, error } = await supabase.auth.getClaims();
  if (error || !data) return null;
  return { id: data.claims.sub, email: data.claims.email ?? "" };
}
