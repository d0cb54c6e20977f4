/**
 * What the benchmark's floor routes (app/api/bench/**\/route.bench.ts) share: the session's
 * access token, read from the cookie @supabase/ssr writes, and nothing else. No check that
 * it is valid: the floor is the least a request could do, so it trusts what it is given.
 */
import { combineChunks, stringFromBase64URL } from "@supabase/ssr";
import type { NextRequest } from "next/server";

const BASE64_PREFIX = "base64-";

/** supabase-js' default storage key: `sb-<first label of the API host>-auth-token`. */
const storageKey = (supabaseUrl: string) => `sb-${new URL(supabaseUrl).hostname.split(".")[0]}-auth-token`;

export async function sessionAccessToken(request: NextRequest, supabaseUrl: string): Promise<string> {
  const value = await combineChunks(storageKey(supabaseUrl), (name) => request.cookies.get(name)?.value);
  if (!value) throw new Error("no session cookie");
  const json = value.startsWith(BASE64_PREFIX) ? stringFromBase64URL(value.slice(BASE64_PREFIX.length)) : value;
  const session: unknown = JSON.parse(json);
  if (typeof session !== "object" || session === null || !("access_token" in session) || typeof session.access_token !== "string") {
    throw new Error("no access token in the session cookie");
  }
  return session.access_token;
}

/** The token's subject, unverified. */
export function tokenSubject(accessToken: string): string {
  const claims: unknown = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8"));
  if (typeof claims !== "object" || claims === null || !("sub" in claims) || typeof claims.sub !== "string") {
    throw new Error("no subject in the access token");
  }
  return claims.sub;
}

/** Settings the floor routes read straight from the environment, as bench/app.ts sets it. */
export function floorEnv(name: "SUPABASE_URL" | "SUPABASE_PUBLISHABLE_KEY" | "SUPABASE_SECRET_KEY"): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
