import type { Json } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import type { AdminScope } from "./access";

/** Every admin action, named `area.verb`. Add one here before writing it. */
export type AuditAction =
  | "cron.run"
  | "job.replay"
  | "job.replay_bulk"
  | "webhook.endpoint_created"
  | "webhook.endpoint_deleted"
  | "webhook.secret_rotated"
  | "webhook.replayed";

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

/** An audit entry as the console shows it. */
export type AuditEntryView = {
  id: string;
  actorEmail: string;
  action: string;
  orgId: string | null;
  orgName: string | null;
  jobIds: string[];
  details: Json;
  createdAt: string;
};

export type AuditPage = { entries: AuditEntryView[]; nextCursor: string | null };

/**
 * The audit log, newest first, a page at a time (cursor: the last entry's id). Platform
 * admins read all of it; others read what concerns their organisations and what they did
 * themselves. Read with the service role, since users have no access to the table at all.
 */
export async function listAudit(
  serviceDb: Db,
  scope: AdminScope,
  query: { cursor?: string; limit: number },
): Promise<AuditPage> {
  let request = serviceDb
    .from("audit_log")
    .select("*")
    .order("id", { ascending: false })
    .limit(query.limit + 1);
  if (!scope.platformAdmin) {
    const orgs = scope.orgIds.length ? `org_id.in.(${scope.orgIds.join(",")}),` : "";
    request = request.or(`${orgs}actor_id.eq.${scope.userId}`);
  }
  if (query.cursor) request = request.lt("id", Number(query.cursor));
  const { data, error } = await request;
  if (error) throw new Error(`Could not read the audit log: ${error.message}`);
  const rows = data.slice(0, query.limit);
  return {
    entries: rows.map((row) => ({
      id: String(row.id),
      actorEmail: row.actor_email,
      action: row.action,
      orgId: row.org_id,
      orgName: row.org_name,
      jobIds: row.job_ids,
      details: row.details,
      createdAt: new Date(row.created_at).toISOString(),
    })),
    nextCursor: data.length > query.limit ? String(rows.at(-1)!.id) : null,
  };
}
