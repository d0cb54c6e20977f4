import type { Json } from "@/lib/supabase/database.types";

export const REDACTED = "[redacted]";

/** Words that make a key's value a secret, wherever they appear in its name. */
const SECRET_WORDS = new Set([
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "key",
  "apikey",
  "authorization",
  "auth",
  "cookie",
  "credential",
  "credentials",
  "signature",
  "jwt",
]);

/**
 * The words of a key, however it is written: "accessToken", "api_key", "X-Api-Key",
 * "set-cookie" → access token, api key, x api key, set cookie. Matching whole words keeps
 * "monkey" or "keyboard" readable while catching every spelling of "key".
 */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretKey(key: string): boolean {
  return wordsOf(key).some((word) => SECRET_WORDS.has(word));
}

/**
 * A job's payload as an operator may see it: every value under a secret-looking key, at
 * any depth, replaced. Payloads are written by our own code, but one day someone will put
 * a webhook secret or an OAuth token in one, and the console must not be where it leaks.
 */
export function redactSecrets(value: Json): Json {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== "object") return value;
  const redacted: { [key: string]: Json } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    redacted[key] = isSecretKey(key) ? REDACTED : redactSecrets(inner);
  }
  return redacted;
}
