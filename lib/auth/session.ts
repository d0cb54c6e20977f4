import { isAuthError, isAuthRetryableFetchError, type AuthError } from "@supabase/supabase-js";
import { z } from "zod";
import { HttpError } from "@/lib/http/errors";
import type { Db } from "@/lib/supabase/db";

/** Who a verified session belongs to: what the access token's claims say. */
export type SessionUser = { id: string; email: string };

/**
 * Supabase Auth couldn't be asked (network error or a 5xx while refreshing an expired
 * token or fetching the JWKS). Not the same as "signed out": answering 401 or sending the
 * user to sign in would end a session that is fine, so requests fail with a 503 instead.
 */
export class AuthUnavailableError extends HttpError {
  constructor(options?: { cause?: unknown }) {
    super(503, "auth_unavailable", "We couldn't check your session just now. Please try again in a moment.");
    this.name = "AuthUnavailableError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * The algorithms of Supabase's asymmetric signing keys, the only ones auth-js verifies
 * locally (GoTrueClient.getClaims: a token with an HS* alg or no kid is sent to the Auth
 * server's GET /user instead).
 */
const signingKeyHeaderSchema = z.object({ alg: z.enum(["ES256", "RS256"]), kid: z.string().min(1) });

const claimsSchema = z.object({ sub: z.guid(), email: z.string().optional() });

/**
 * The caller's session, verified, or null when there is none or it doesn't verify
 * (forged, expired without a usable refresh token, signed by another key).
 *
 * With the project's asymmetric signing keys `getClaims()` checks the access token's
 * signature and expiry against the JWKS, which auth-js fetches once and caches per
 * process (for every client with the same storage key), so this makes no request to
 * Supabase Auth except to refresh an expired token. Tokens that aren't signed with a
 * signing key (HS256 with the legacy JWT secret, `alg: none`) are refused here rather
 * than sent to the Auth server: sessions come only from the signing keys, and a caller
 * shouldn't be able to make every request cost a trip to Auth.
 *
 * Throws AuthUnavailableError when Auth can't be reached to refresh or to fetch the JWKS.
 */
export async function getSessionUser(supabase: Db): Promise<SessionUser | null> {
  // Reads the session cookie, and refreshes an expired access token (writing the new
  // cookies through the client's setAll); the user object it holds is not verified.
  const { data, error } = await supabase.auth.getSession();
  if (error) return refused(error);
  const token = data.session?.access_token;
  if (!token || !signingKeyHeaderSchema.safeParse(tokenHeader(token)).success) return null;

  const verified = await verifyClaims(supabase, token);
  if (verified.error) return refused(verified.error);
  const claims = claimsSchema.safeParse(verified.data?.claims);
  if (!claims.success) return null;
  return { id: claims.data.sub, email: claims.data.email ?? "" };
}

async function verifyClaims(supabase: Db, token: string) {
  try {
    return await supabase.auth.getClaims(token);
  } catch (error) {
    // getClaims throws, rather than returns, what WebCrypto makes of a token that names
    // a key of another type (an RS256 header on the EC key's kid): still a bad token.
    if (isAuthError(error)) return { data: null, error };
    return { data: null, error: null };
  }
}

function refused(error: AuthError): null {
  if (isAuthRetryableFetchError(error)) throw new AuthUnavailableError({ cause: error });
  return null;
}

function tokenHeader(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token.split(".", 1)[0] ?? "", "base64url").toString("utf8"));
  } catch {
    return null;
  }
}
