import { evaluateAlerts, notifyIncident } from "@/lib/alerts/check";
import { alertThresholds } from "@/lib/alerts/rules";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";

/**
 * Checks the alert rules every 10 minutes (thresholds: ALERT_* in lib/env.ts). Every rule
 * looks at the last hour, so a problem is noticed within 10 minutes, and 4,464 runs a month
 * (two executions each) fit Inngest's free plan, where every minute (44,640) would not.
 * One step reads the last hour's metrics for every job type and records the incidents
 * (opening, updating, resolving); then one step per incident nobody has heard about emails
 * the platform admins. An incident is emailed once however long it lasts; after it clears,
 * the next failure is a new incident with a new email. Concurrency 1: checks never overlap.
 */
export const checkAlerts = inngest.createFunction(
  { id: "check-alerts", name: "Check alert rules", triggers: [{ cron: "TZ=UTC */10 * * * *" }], concurrency: 1 },
  async ({ step }) => {
    const evaluation = await step.run("evaluate", () =>
      evaluateAlerts(createServiceSupabase(), { now: new Date(), thresholds: alertThresholds() }),
    );
    let notified = 0;
    for (const incident of evaluation.toNotify) {
      const { sentTo } = await step.run(`notify-${incident.id}`, () =>
        withEmailRetryPolicy(() => notifyIncident(createServiceSupabase(), incident), `the alert for incident ${incident.id}`),
      );
      if (sentTo > 0) notified++;
    }
    const count = (change: string) => evaluation.changes.filter((c) => c.change === change).length;
    return {
      failing: evaluation.failing.length,
      opened: count("opened"),
      resolved: count("resolved"),
      notified,
    };
  },
);
