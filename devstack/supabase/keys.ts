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
