import { configuredAlertChannels, env, type ServerEnv } from "@/lib/env";
import { getInngestContacts, lastContactAt } from "@/lib/health/inngest-contacts";
import { getJobMetrics } from "@/lib/metrics/queries";
import type { Db } from "@/lib/supabase/db";
import { sendOnChannel } from "./channels";
import { getIncident, markNotified, recordAlertCheck, type IncidentChange } from "./incidents";
import {
  claimNotification,
  markNotificationSent,
  pendingNotifications,
  releaseNotification,
  type PendingNotification,
} from "./notifications";
import {
  ALERT_DAILY_WINDOW_SECONDS,
  ALERT_WINDOW_SECONDS,
  failingDailyRules,
  failingRules,
  workerSilentRule,
  type AlertThresholds,
  type FailingRule,
} from "./rules";

/**
 * One alert check, in two halves so the cron can make each a step: `evaluateAlerts` reads
 * the metrics (last hour, last 24 hours) for every job type and when Inngest last reached
 * the app, records which rules fail, and returns the messages due on each channel;
 * `sendNotification` sends one of them (inngest/functions/check-alerts.ts runs them, and
 * so does POST /api/alerts/check for a monitor outside Inngest).
 */

export type AlertEvaluation = {
  failing: FailingRule[];
  changes: IncidentChange[];
  toNotify: PendingNotification[];
};

/** Where alerts go, from the environment (ALERT_ROUTES and the channels' URLs). */
export function alertRouting(source: ServerEnv = env()) {
  return { routes: source.ALERT_ROUTES ?? [], configured: configuredAlertChannels(source) };
}

export async function evaluateAlerts(
  serviceDb: Db,
  {
    now,
    thresholds,
    routing = alertRouting(),
    reachedAt,
  }: {
    now: Date;
    thresholds: AlertThresholds;
    routing?: ReturnType<typeof alertRouting>;
    /**
     * When the caller knows Inngest reached the app, beyond what inngest_contacts holds:
     * the check-alerts cron runs inside an Inngest call, whose contact is only written
     * once the SDK has answered it. POST /api/alerts/check passes none: it proves nothing.
     */
    reachedAt?: Date;
  },
): Promise<AlertEvaluation> {
  const over = (seconds: number) =>
    getJobMetrics(serviceDb, {
      from: new Date(now.getTime() - seconds * 1000),
      to: now,
      now,
      orgIds: null,
      stuckAfterSeconds: thresholds.stuckAfterSeconds,
    });
  const [hourly, daily, contacts] = await Promise.all([
    over(ALERT_WINDOW_SECONDS),
    over(ALERT_DAILY_WINDOW_SECONDS),
    getInngestContacts(serviceDb),
  ]);
  const queueDepth = hourly.reduce((sum, m) => sum + m.queueDepth, 0);
  const failing = [
    ...failingRules(hourly, thresholds),
    ...failingDailyRules(daily, thresholds),
    ...workerSilentRule({ lastContactAt: lastContactAt(contacts, reachedAt) }, queueDepth, thresholds, now),
  ];
  const changes = await recordAlertCheck(serviceDb, now, failing);
  return { failing, changes, toNotify: await pendingNotifications(serviceDb, routing) };
}

/**
 * Sends one message unless someone else has it: claimed first (so a retried step or a
 * check racing this one skips it), marked sent after, and given back if the send fails
 * so the retry sends it. `sent` is false when it was someone else's, nobody could be
 * told yet (no platform admin for email: it is tried again at the next check), or it is
 * an opening whose incident resolved since it was found due (a step retried late): that
 * channel then hears neither the opening nor the resolution.
 */
export async function sendNotification(serviceDb: Db, notification: PendingNotification, now = new Date()): Promise<{ sent: boolean }> {
  const { incident, channel, kind } = notification;
  const key = { incidentId: incident.id, channel, kind };
  if (!(await claimNotification(serviceDb, key, now))) return { sent: false };
  if (kind === "open") {
    const current = await getIncident(serviceDb, incident.id).catch(async (error: unknown) => {
      await releaseNotification(serviceDb, key);
      throw error;
    });
    if (current === null || current.resolvedAt !== null) {
      await releaseNotification(serviceDb, key);
      return { sent: false };
    }
  }
  let sent: boolean;
  try {
    sent = await sendOnChannel(serviceDb, channel, { incident, kind });
  } catch (error) {
    await releaseNotification(serviceDb, key);
    throw error;
  }
  if (!sent) {
    await releaseNotification(serviceDb, key);
    return { sent: false };
  }
  await markNotificationSent(serviceDb, key, new Date(Math.max(now.getTime(), Date.now())));
  if (kind === "open") await markNotified(serviceDb, incident.id, now);
  return { sent: true };
}
