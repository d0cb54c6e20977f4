import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import type { Db } from "@/lib/supabase/db";

/**
 * Unsubscribe tokens: `<user id>.<HMAC-SHA256 of "unsubscribe:<user id>">`, base64url.
 * They work signed out (a digest is read anywhere), name only the user, and can't be
 * made without UNSUBSCRIBE_SECRET. They don't expire: an old email must still unsubscribe.
 */
const sign = (userId: string) =>
  createHmac("sha256", env().UNSUBSCRIBE_SECRET).update(`unsubscribe:${userId}`).digest("base64url");

export const unsubscribeToken = (userId: string) => `${userId}.${sign(userId)}`;

/** The user a token was made for, or null when it wasn't made by us. */
export function verifyUnsubscribeToken(token: string): string | null {
  const [userId, signature, ...rest] = token.split(".");
  if (!userId || !signature || rest.length > 0 || !/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const expected = Buffer.from(sign(userId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}

export const unsubscribeUrl = (userId: string) =>
  new URL(`/unsubscribe?token=${encodeURIComponent(unsubscribeToken(userId))}`, env().APP_URL).toString();

/** Where mail clients' one-click button posts (RFC 8058). */
export const oneClickUnsubscribeUrl = (userId: string) =>
  new URL(`/api/digest/unsubscribe?token=${encodeURIComponent(unsubscribeToken(userId))}`, env().APP_URL).toString();

export async function unsubscribeFromDigest(db: Db, userId: string): Promise<void> {
  const { error } = await db.from("profiles").update({ digest_opt_in: false }).eq("id", userId);
  if (error) throw new Error(`Could not unsubscribe ${userId}: ${error.message}`);
}
