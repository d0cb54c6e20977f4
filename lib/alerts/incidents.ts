import { z } from "zod";
import type { Db } from "@/lib/supabase/db";
import { ALERT_RULES, type FailingRule } from "./rules";

/**
 * Alert incidents (supabase/migrations/20261124010000_metrics.sql): one per stretch of
 * time a rule fails for a job type. The table is install-wide and service-role only.
 */

const timestamp = z.string().transform((value) => new Date(value).toISOString());

export const incidentColumns = z.object({
  id: z.uuid(),
  rule: z.enum(ALERT_RULES),
  job_type: z.string(),
  value: z.number(),
  threshold: z.number(),
  opened_at: timestamp,
  resolved_at: timestamp.nullable(),
  notified_at: timestamp.nullable(),
});

export const toIncident = (row: z.output<typeof incidentColumns>) => ({
  id: row.id,
  rule: row.rule,
  jobType: row.job_type,
  value: row.value,
  threshold: row.threshold,
  openedAt: row.opened_at,
  resolvedAt: row.resolved_at,
  notifiedAt: row.notified_at,
});

const incidentRow = incidentColumns.transform(toIncident);

export type AlertIncident = z.output<typeof incidentRow>;

const checkRow = incidentColumns
  .extend({ change: z.enum(["opened", "ongoing", "resolved"]) })
  .transform((row) => ({ incident: toIncident(row), change: row.change }));
const COLUMNS = "id, rule, job_type, value, threshold, opened_at, resolved_at, notified_at";

export type IncidentChange = { incident: AlertIncident; change: "opened" | "ongoing" | "resolved" };

class AlertStoreError extends Error {
  constructor(what: string, cause: { message: string }) {
    super(`Could not ${what}: ${cause.message}`, { cause });
    this.name = "AlertStoreError";
  }
}

/**
 * Records one check in one statement: opens an incident for each failing rule that has
 * none open, updates those still failing, resolves those that passed.
 */
export async function recordAlertCheck(serviceDb: Db, checkedAt: Date, failing: FailingRule[]): Promise<IncidentChange[]> {
  const { data, error } = await serviceDb.rpc("record_alert_check", {
    p_checked_at: checkedAt.toISOString(),
    p_rules: failing.map((f) => f.rule),
    p_job_types: failing.map((f) => f.jobType),
    p_values: failing.map((f) => f.value),
    p_thresholds: failing.map((f) => f.threshold),
  });
  if (error) throw new AlertStoreError("record the alert check", error);
  return z.array(checkRow).parse(data);
}

/** Open incidents, oldest first: what the console's banner shows. */
export async function listOpenIncidents(serviceDb: Db): Promise<AlertIncident[]> {
  const { data, error } = await serviceDb
    .from("alert_incidents")
    .select(COLUMNS)
    .is("resolved_at", null)
    .order("opened_at", { ascending: true });
  if (error) throw new AlertStoreError("list open incidents", error);
  return z.array(incidentRow).parse(data);
}

/** Notes the first channel told of an incident's opening (the console's "notified"). */
export async function markNotified(serviceDb: Db, id: string, at: Date): Promise<void> {
  const { error } = await serviceDb
    .from("alert_incidents")
    .update({ notified_at: at.toISOString() })
    .eq("id", id)
    .is("notified_at", null);
  if (error) throw new AlertStoreError(`mark incident ${id} notified`, error);
}

/** One incident as it stands now; null once deleted. */
export async function getIncident(serviceDb: Db, id: string): Promise<AlertIncident | null> {
  const { data, error } = await serviceDb.from("alert_incidents").select(COLUMNS).eq("id", id).maybeSingle();
  if (error) throw new AlertStoreError(`read incident ${id}`, error);
  return data === null ? null : incidentRow.parse(data);
}
