import type { Db } from "@/lib/supabase/db";
import type { TerminalStatus } from "./state";
import { JobStoreError } from "./store";

/** Which timestamp says when a finished job finished. */
const finishedAt: Record<TerminalStatus, "completed_at" | "failed_at" | "cancelled_at"> = {
  completed: "completed_at",
  failed: "failed_at",
  cancelled: "cancelled_at",
};

/**
 * Deletes up to `batchSize` jobs that finished as `status` more than `olderThanDays` ago,
 * and returns how many went. Small batches keep each statement short; the cleanup
 * function calls this in a loop, one step per batch, until a batch comes back short.
 * A job's report and its file go with it (foreign keys cascade).
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
  const cutoff = new Date(now.getTime() - olderThanDays * 86_400_000).toISOString();
  const { data, error } = await db
    .from("jobs")
    .select("id")
    .eq("status", status)
    .lt(finishedAt[status], cutoff)
    .limit(batchSize);
  if (error) throw new JobStoreError("find expired jobs", error);
  if (data.length === 0) return 0;
  const deleted = await db
    .from("jobs")
    .delete()
    .in(
      "id",
      data.map((job) => job.id),
    )
    .select("id");
  if (deleted.error) throw new JobStoreError("delete expired jobs", deleted.error);
  return deleted.data.length;
}
