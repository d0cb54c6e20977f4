import { NonRetriableError, RetryAfterError } from "inngest";
import { AlertDeliveryError } from "@/lib/alerts/channels";
import { evaluateAlerts, sendNotification } from "@/lib/alerts/check";
import { alertThresholds } from "@/lib/alerts/rules";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";

/** A failed send in Inngest's terms: a refusal fails the step at once, a 429 waits as asked, the rest retry. */
async function withDeliveryRetryPolicy<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof AlertDeliveryError)) throw error;
    if (error.permanent) throw new NonRetriableError(error.message);
    if (error.retryAfterSeconds !== undefined) throw new RetryAfterError(error.message, `${error.retryAfterSeconds}s`);
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
 * Concurrency 1: checks never overlap.
 */
export const checkAlerts = inngest.createFunction(
  { id: "check-alerts", name: "Check alert rules", triggers: [{ cron: "TZ=UTC */10 * * * *" }], concurrency: 1 },
  async ({ step }) => {
    const evaluation = await step.run("evaluate", () =>
      evaluateAlerts(createServiceSupabase(), { now: new Date(), thresholds: alertThresholds() }),
    );
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
