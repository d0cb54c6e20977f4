import { subDays } from "date-fns";
import type { Db } from "@/lib/supabase/db";
import type { TerminalStatus } from "./state";
import { JobStoreError } from "./store";

/**
 * Deletes up to `batchSize` jobs that finished as `status` more than `olderThanDays` ago,
 * and returns how many went: one statement in the database (`delete_expired_jobs`), so a
 * batch is never limited by how many ids fit in a request URL. The cleanup function calls
 * this in a loop, one step per batch, until a batch comes back short. A job's report and
 * its file go with it (foreign keys cascade).
 */
export async function deleteExpiredJobs(
  db: Db,
  { status, olderThanDays, batchSize, now = new Date() }: {
    status: TerminalStatus;
    olderThanDays: number;
    batchSize: number;
    now?: Date;
  },
): Promise<number> {
  const { data, error } = await db.rpc("delete_expired_jobs", {
    p_status: status,
    p_before: subDays(now, olderThanDays).toISOString(),
    p_limit: batchSize,
  });
  if (error) throw new JobStoreError("delete expired jobs", error);
  return data;
}
