import { AlertDeliveryError } from "@/lib/alerts/channels";
import { evaluateAlerts, sendNotification } from "@/lib/alerts/check";
import { alertThresholds } from "@/lib/alerts/rules";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";

/**
 * `POST /api/alerts/check`: runs the alert check now, as the check-alerts cron does, for
 * an uptime monitor outside Inngest. The cron runs through Inngest, so when Inngest can't
 * reach the app (a failed sync, a wrong signing key) it can't run either; called every few
 * minutes from outside, this still opens `worker_silent` and sends it. 200 `{ok: true}`
 * when every rule passes, 503 `{ok: false, failing}` when one fails, so a monitor that
 * pages on a non-2xx pages too. Bearer ALERT_CHECK_SECRET; without it the endpoint is off
 * (404). Messages are claimed like the cron's, so the two never send one twice.
 */
export const POST = route({ auth: false, bearer: () => env().ALERT_CHECK_SECRET }, async ({ service }) => {
  const db = service();
  const evaluation = await evaluateAlerts(db, { now: new Date(), thresholds: alertThresholds() });
  let sent = 0;
  const undelivered: { incidentId: string; channel: string; kind: string; message: string }[] = [];
  for (const notification of evaluation.toNotify) {
    try {
      if ((await sendNotification(db, notification)).sent) sent++;
    } catch (error) {
      // Given back unsent: the next check (this one's or the cron's) tries again.
      if (!(error instanceof AlertDeliveryError)) throw error;
      const { incident, channel, kind } = notification;
      undelivered.push({ incidentId: incident.id, channel, kind, message: error.message });
    }
  }
  const ok = evaluation.failing.length === 0;
  return Response.json(
    {
      ok,
      failing: evaluation.failing.map(({ rule, jobType, value, threshold }) => ({ rule, jobType, value, threshold })),
      sent,
      undelivered,
    },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
});
