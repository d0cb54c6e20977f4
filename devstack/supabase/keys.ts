import { createECDH, createHash } from "node:crypto";

/**
 * The well-known local keys printed by `supabase start`. They grant nothing outside a
 * developer's machine, which is why they can be committed: the same `.env.development`
 * works against the devstack and against the official local stack.
 */
export const LOCAL_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
export const LOCAL_PUBLISHABLE_KEY = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
export const LOCAL_SECRET_KEY = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";

type KeyType = "publishable" | "secret";

/** Maps an `apikey` to the role its requests run as, like Supabase's API gateway. */
export async function resolveLocalApiKey(key: string) {
  if (key === LOCAL_PUBLISHABLE_KEY) {
    return { type: "publishable" as KeyType, claims: { role: "anon" } };
  }
  if (key === LOCAL_SECRET_KEY) {
    return { type: "secret" as KeyType, claims: { role: "service_role" } };
  }
  return null;
}

/** A private JSON Web Key, as `supabase gen signing-key` writes them into signing_keys.json. */
export type SigningJwk = { kty: string; kid?: string; alg?: string; [member: string]: unknown };

/**
 * The devstack's session signing key: an ES256 (P-256) key, as new hosted projects sign
 * with, so `supabase.auth.getClaims()` verifies tokens locally against the JWKS. Derived
 * from a fixed seed, like the local secret above, so tokens outlive a devstack restart and
 * nothing needs storing; `[auth] signing_keys_path` in config.toml replaces it.
 */
export function localSigningKey(): SigningJwk {
  const d = createHash("sha256").update("offload devstack ES256 signing key").digest();
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 0x04 || x || y
  return {
    kty: "EC",
    kid: "offload-devstack-es256",
    use: "sig",
    key_ops: ["sign", "verify"],
    alg: "ES256",
    ext: true,
    crv: "P-256",
    d: d.toString("base64url"),
    x: point.subarray(1, 33).toString("base64url"),
    y: point.subarray(33, 65).toString("base64url"),
  };
}
