import { NonRetriableError, RetryAfterError } from "inngest";
import { AlertDeliveryError, deliveryRetry } from "@/lib/alerts/channels";
import { evaluateAlerts, sendNotification } from "@/lib/alerts/check";
import { alertThresholds } from "@/lib/alerts/rules";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";

/**
 * A failed send in Inngest's terms: a refusal, or a 429 asking for more than
 * MAX_RETRY_AFTER_SECONDS, fails the step at once (the message, given back, waits for the
 * next check); a shorter 429 waits as asked; the rest retry.
 */
async function withDeliveryRetryPolicy<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof AlertDeliveryError)) throw error;
    const retry = deliveryRetry(error);
    if (!retry.retry) throw new NonRetriableError(error.message);
    if (retry.afterSeconds !== undefined) throw new RetryAfterError(error.message, `${retry.afterSeconds}s`);
    throw error;
  }
}

/**
 * Checks the alert rules every 10 minutes (thresholds: ALERT_* in lib/env.ts). The rules
 * look at the last hour (dead_letters_daily at the last 24), so a problem is noticed within
 * 10 minutes. A quiet run is two executions (the run and its `evaluate` step), 8,928 a
 * month of Inngest's free 50,000; each message sent adds one, about 6 per incident at most
 * (opening and resolution on three channels). Every minute would be 89,280 and not fit.
 * One step reads the metrics and records the incidents (opening, updating, resolving); then
 * one step per message due: an incident's opening or resolution on one channel (email,
 * Slack, webhook, as ALERT_ROUTES sends it), so a Slack outage retries only Slack's. Each
 * message is claimed in the database before it goes (lib/alerts/notifications.ts), so it
 * is sent once however often the check runs. A message whose step fails for good doesn't
 * hold up the others; it is tried again at the next check, until its channel's URL works.
 * Concurrency 1 keeps two checks from executing steps at the same moment, but a run
 * waiting out a retry holds no slot, so a later check may run meanwhile: the claims keep
 * each message single, Retry-After waits are capped (lib/alerts/channels.ts), and a
 * woken send re-reads its incident and drops an opening that has since resolved.
 */
export const checkAlerts = inngest.createFunction(
  { id: "check-alerts", name: "Check alert rules", triggers: [{ cron: "TZ=UTC */10 * * * *" }], concurrency: 1 },
  async ({ step }) => {
    // This step runs inside a call from Inngest, whose contact is written only after the
    // SDK answers: the run itself is the proof that Inngest reaches the app.
    const evaluation = await step.run("evaluate", () => {
      const now = new Date();
      return evaluateAlerts(createServiceSupabase(), { now, thresholds: alertThresholds(), reachedAt: now });
    });
    let sent = 0;
    const undelivered: string[] = [];
    for (const { incident, channel, kind } of evaluation.toNotify) {
      const id = `notify-${incident.id}-${channel}-${kind}`;
      try {
        const result = await step.run(id, () =>
          withDeliveryRetryPolicy(() => sendNotification(createServiceSupabase(), { incident, channel, kind })),
        );
        if (result.sent) sent++;
      } catch {
        // Its retries are used up (or it was refused): the other channels still get theirs,
        // and the message, given back unsent, is tried again by the next check.
        undelivered.push(id);
      }
    }
    const count = (change: string) => evaluation.changes.filter((c) => c.change === change).length;
    return {
      failing: evaluation.failing.length,
      opened: count("opened"),
      resolved: count("resolved"),
      sent,
      undelivered,
    };
  },
);
