import { subDays } from "date-fns";
import type { Database } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";

/** The statuses a webhook message ends in, which the nightly cleanup deletes after a while. */
export type EndedMessageStatus = Extract<Database["public"]["Enums"]["webhook_message_status"], "delivered" | "failed" | "skipped">;

/**
 * Deletes up to `batchSize` webhook messages that ended as `status` more than
 * `olderThanDays` ago, with their attempts, and returns how many went (one statement:
 * `delete_expired_webhook_messages`), as deleteExpiredJobs does for jobs.
 */
export async function deleteExpiredWebhookMessages(
  db: Db,
  { status, olderThanDays, batchSize, now = new Date() }: {
    status: EndedMessageStatus;
    olderThanDays: number;
    batchSize: number;
    now?: Date;
  },
): Promise<number> {
  const { data, error } = await db.rpc("delete_expired_webhook_messages", {
    p_status: status,
    p_before: subDays(now, olderThanDays).toISOString(),
    p_limit: batchSize,
  });
  if (error) throw new Error(`delete expired webhook messages: ${error.message}`);
  return data;
}
