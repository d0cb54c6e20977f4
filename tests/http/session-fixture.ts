import { SignJWT, type CryptoKey } from "jose";
import { vi } from "vitest";
import { validEnv } from "../support/env";

/**
 * For unit tests of route(): the app's environment with SUPABASE_URL pointed at a stubbed
 * fetch, and the session cookie @supabase/ssr reads, carrying an access token signed with
 * the test's own key (the stub serves its JWKS).
 */

export const SUPABASE_URL = validEnv.SUPABASE_URL;
/** The cookie @supabase/ssr keeps the session in, for SUPABASE_URL's host. */
export const STORAGE_KEY = "sb-127-auth-token";

/** Stubs a valid environment; import lib modules after it, as one module graph (vi.resetModules). */
export function stubAppEnv(): void {
  for (const [name, value] of Object.entries(validEnv)) vi.stubEnv(name, value);
}

/** The session cookie's value for a signed-in user, with an ES256 access token from `key`. */
export async function sessionCookie(user: { id: string; email: string }, key: CryptoKey, kid: string): Promise<{ value: string; accessToken: string }> {
  const now = Math.floor(Date.now() / 1000);
  const accessToken = await new SignJWT({ email: user.email, role: "authenticated", aal: "aal1", session_id: crypto.randomUUID() })
    .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
    .setSubject(user.id)
    .setAudience("authenticated")
    .setIssuer(`${SUPABASE_URL}/auth/v1`)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
  const session = {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: 3600,
    expires_at: now + 3600,
    refresh_token: "refresh-token",
    user: { id: user.id, aud: "authenticated", role: "authenticated", email: user.email, app_metadata: {}, user_metadata: {}, created_at: new Date().toISOString() },
  };
  return { value: `base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`, accessToken };
}
