import { env } from "@/lib/env";
import { sendEmail } from "@/lib/email/send";
import { AlertEmail, alertEmailSubject } from "@/lib/email/templates/alert-email";
import { getJobMetrics } from "@/lib/metrics/queries";
import type { Db } from "@/lib/supabase/db";
import { incidentsToNotify, markNotified, recordAlertCheck, type AlertIncident, type IncidentChange } from "./incidents";
import { ALERT_WINDOW_SECONDS, describeRule, failingRules, type AlertThresholds, type FailingRule } from "./rules";

/**
 * One alert check, in two halves so the cron can make each a step: `evaluateAlerts` reads
 * the metrics of the last hour for every organisation, records which rules fail and
 * returns the incidents nobody has been told about; `notifyIncident` emails one of them to
 * the platform admins (inngest/functions/check-alerts.ts runs them).
 */

export type AlertEvaluation = {
  failing: FailingRule[];
  changes: IncidentChange[];
  toNotify: AlertIncident[];
};

export async function evaluateAlerts(
  serviceDb: Db,
  { now, thresholds }: { now: Date; thresholds: AlertThresholds },
): Promise<AlertEvaluation> {
  const metrics = await getJobMetrics(serviceDb, {
    from: new Date(now.getTime() - ALERT_WINDOW_SECONDS * 1000),
    to: now,
    now,
    orgIds: null,
    stuckAfterSeconds: thresholds.stuckAfterSeconds,
  });
  const failing = failingRules(metrics, thresholds);
  const changes = await recordAlertCheck(serviceDb, now, failing);
  return { failing, changes, toNotify: await incidentsToNotify(serviceDb) };
}

/** Who hears about incidents: every platform admin, at their profile's address. */
export async function alertRecipients(serviceDb: Db): Promise<{ userId: string; email: string }[]> {
  const admins = await serviceDb.from("platform_admins").select("user_id");
  if (admins.error) throw new Error(`Could not list platform admins: ${admins.error.message}`);
  if (admins.data.length === 0) return [];
  const profiles = await serviceDb
    .from("profiles")
    .select("id, email")
    .in(
      "id",
      admins.data.map((admin) => admin.user_id),
    )
    .neq("email", "");
  if (profiles.error) throw new Error(`Could not read platform admins' addresses: ${profiles.error.message}`);
  return profiles.data.map((profile) => ({ userId: profile.id, email: profile.email }));
}

/**
 * Emails an incident to each platform admin, then marks it notified. The idempotency key
 * is the incident and the recipient, so a retried step, or two checks racing, send each
 * admin one email per incident. With no admin to tell, it stays unnotified (and shows in
 * the banner) until there is one.
 */
export async function notifyIncident(serviceDb: Db, incident: AlertIncident, now = new Date()): Promise<{ sentTo: number }> {
  const recipients = await alertRecipients(serviceDb);
  if (recipients.length === 0) return { sentTo: 0 };
  const { title, detail } = describeRule(incident.rule, incident.jobType, incident.value, incident.threshold);
  const consoleUrl = new URL("/admin", env().APP_URL).toString();
  for (const recipient of recipients) {
    await sendEmail({
      to: recipient.email,
      subject: alertEmailSubject(title),
      body: AlertEmail({ title, detail, openedAt: incident.openedAt, consoleUrl }),
      idempotencyKey: `alert/${incident.id}/${recipient.userId}`,
    });
  }
  await markNotified(serviceDb, incident.id, now);
  return { sentTo: recipients.length };
}
