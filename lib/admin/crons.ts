import { Cron } from "croner";
import type { ManualCron } from "@/inngest/events";
import type { Db } from "@/lib/supabase/db";

/**
 * When a schedule last fell due and when it next will, from the expression Inngest runs
 * (`TZ=Zone` prefix and all). Null if the expression has no such time.
 */
export function scheduleTimes(schedule: string, now: Date = new Date()): { previous: Date | null; next: Date | null } {
  const zoned = /^TZ=(\S+)\s+(.*)$/.exec(schedule);
  const cron = new Cron(zoned ? zoned[2]! : schedule, { timezone: zoned?.[1] ?? "UTC", paused: true });
  return { previous: cron.previousRuns(1, now)[0] ?? null, next: cron.nextRun(now) };
}

/** What POST /api/admin/crons/:id/run answers. */
export type CronRunStarted = { eventId: string | undefined; startedAt: string; runsUrl: string | null };

export type ManualRun = { at: string; by: string | null };

/** How many audit entries to look through for the last manual run of each cron. */
const RECENT_ENTRIES = 100;

/**
 * The last time each cron was run by hand, from the audit log (every manual run is
 * recorded there before it starts). Read with the service role, like the log itself.
 */
export async function lastManualRuns(serviceDb: Db): Promise<Partial<Record<ManualCron, ManualRun>>> {
  const { data, error } = await serviceDb
    .from("audit_log")
    .select("actor_email, details, created_at")
    .eq("action", "cron.run")
    .order("id", { ascending: false })
    .limit(RECENT_ENTRIES);
  if (error) throw new Error(`Could not read the audit log: ${error.message}`);
  const runs: Partial<Record<ManualCron, ManualRun>> = {};
  for (const row of data) {
    const cron = isRecord(row.details) ? row.details.cron : undefined;
    if ((cron === "daily-digest" || cron === "cleanup-jobs") && !runs[cron]) {
      runs[cron] = { at: new Date(row.created_at).toISOString(), by: row.actor_email };
    }
  }
  return runs;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
