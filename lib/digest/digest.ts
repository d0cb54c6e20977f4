import { subHours } from "date-fns";
import { z } from "zod";
import { sendEmail } from "@/lib/email/send";
import { DigestEmail, digestSubject, type DigestLine } from "@/lib/email/templates/digest-email";
import { env } from "@/lib/env";
import { getProfile } from "@/lib/profiles/profile";
import type { Db } from "@/lib/supabase/db";
import { oneClickUnsubscribeUrl, unsubscribeUrl } from "./unsubscribe";

/** Whom a digest is for, and which of their local days it covers. */
export const digestRecipientSchema = z.object({ userId: z.uuid(), orgId: z.uuid(), localDate: z.iso.date() });
export type DigestRecipient = z.infer<typeof digestRecipientSchema>;

const fanOutPageSchema = z.object({
  /** Users due now that this page looked at, quiet or not. */
  scanned: z.number().int().nonnegative(),
  /** The highest id scanned: the cursor for the next page (null when none was). */
  last: z.uuid().nullable(),
  /** Quiet users whose digest for the day was recorded as done, with nothing to send. */
  settled: z.number().int().nonnegative(),
  /** Users with activity in the last 24 hours, who get a digest. */
  due: z.array(digestRecipientSchema),
});
export type FanOutPage = z.infer<typeof fanOutPageSchema>;

/**
 * One page of the fan-out (`digest_fan_out_page`): the next `limit` users, in id order
 * after `after`, whose local morning has come and who haven't had today's digest. Those
 * whose organisation did nothing in the 24 hours before `now` are recorded as done in the
 * same statement; the others are returned to be sent a digest.
 */
export async function digestFanOutPage(
  db: Db,
  { after, limit, now }: { after: string | null; limit: number; now: Date },
): Promise<FanOutPage> {
  const { data, error } = await db.rpc("digest_fan_out_page", {
    p_limit: limit,
    p_now: now.toISOString(),
    ...(after ? { p_after: after } : {}),
  });
  if (error) throw new Error(`Could not read a page of digest recipients: ${error.message}`);
  return fanOutPageSchema.parse(data);
}

/** What the organisation did in the 24 hours before `until`, per activity type. */
export async function summarizeActivity(db: Db, orgId: string, until: Date): Promise<DigestLine[]> {
  const from = subHours(until, 24);
  const { data, error } = await db.rpc("activity_summary", {
    p_org_id: orgId,
    p_from: from.toISOString(),
    p_to: until.toISOString(),
  });
  if (error) throw new Error(`Could not summarize activity for ${orgId}: ${error.message}`);
  return data.map((row) => ({ type: row.type, count: Number(row.count), totalAmount: Number(row.total_amount) }));
}

/** Sends the digest for one local date; Resend's key makes a repeat for the same date a no-op. */
export async function sendDigest(db: Db, recipient: DigestRecipient, lines: DigestLine[]) {
  const profile = await getProfile(db, { id: recipient.userId });
  return sendEmail({
    to: profile.email,
    subject: digestSubject(recipient.localDate),
    body: DigestEmail({
      displayName: profile.display_name || profile.email,
      date: recipient.localDate,
      lines,
      dashboardUrl: new URL("/dashboard", env().APP_URL).toString(),
      unsubscribeUrl: unsubscribeUrl(recipient.userId),
    }),
    headers: {
      "List-Unsubscribe": `<${oneClickUnsubscribeUrl(recipient.userId)}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    idempotencyKey: `digest/${recipient.userId}/${recipient.localDate}`,
  });
}

/** Records that the user's digest for this local date is done (sent, or nothing to say). */
export async function markDigestDone(db: Db, recipient: DigestRecipient) {
  const { error } = await db
    .from("profiles")
    .update({ last_digest_on: recipient.localDate })
    .eq("id", recipient.userId);
  if (error) throw new Error(`Could not record the digest of ${recipient.userId}: ${error.message}`);
}
