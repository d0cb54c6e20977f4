import type { Json } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import type { AdminScope } from "./access";

/** Every admin action, named `area.verb`. Add one here before writing it. */
export type AuditAction = "cron.run" | "job.replay" | "job.replay_bulk";

export type AuditEntry = {
  action: AuditAction;
  orgId?: string | null;
  jobIds?: string[];
  details?: Json;
};

/**
 * Appends to the audit log (service role: users can't read or write it). An action that
 * can't be audited must not happen silently, so a failed write throws.
 */
export async function recordAudit(serviceDb: Db, actor: AdminScope, entry: AuditEntry): Promise<void> {
  const { error } = await serviceDb.from("audit_log").insert({
    actor_id: actor.userId,
    actor_email: actor.email,
    action: entry.action,
    org_id: entry.orgId ?? null,
    job_ids: entry.jobIds ?? [],
    details: entry.details ?? {},
  });
  if (error) throw new Error(`Could not write the audit log: ${error.message}`, { cause: error });
}
