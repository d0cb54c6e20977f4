import { NonRetriableError, RetryAfterError } from "inngest";
import { attemptWebhook, deliverySettings, notifyEndpointDisabled, type AttemptReport } from "@/lib/webhooks/deliver";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";
import { teamDeleted, webhookDeliveryRequested } from "../events";

export const WEBHOOK_CONCURRENCY_TOTAL = 100;
/** At most this many requests at once to one endpoint, so a slow receiver isn't flooded. */
export const WEBHOOK_CONCURRENCY_PER_ENDPOINT = 2;

/**
 * Delivers one webhook message: one `attempt` step per try, each recorded in the delivery
 * log. The step throws to have Inngest try again (so an attempt's result is never replayed
 * from memory): RetryAfterError with the schedule's delay (or the receiver's Retry-After),
 * NonRetriableError when the receiver refused for good or the last attempt failed. An
 * endpoint turned off for failing gets no more attempts, and its admins are emailed.
 * Messages are not jobs: the delivery log is their mirror, not the jobs table.
 */
export const deliverWebhook = inngest.createFunction(
  {
    id: "deliver-webhook",
    name: "Deliver webhook",
    triggers: [webhookDeliveryRequested],
    // One run per message and round: a repeated fan-out or a redelivered event sends nothing twice.
    idempotency: 'event.data.messageId + "-" + string(event.data.round)',
    // 8 attempts (retry-policy's MAX_ATTEMPTS), spread over about 27.6 hours.
    retries: 7,
    concurrency: [{ limit: WEBHOOK_CONCURRENCY_TOTAL }, { key: "event.data.endpointId", limit: WEBHOOK_CONCURRENCY_PER_ENDPOINT }],
    cancelOn: [{ event: teamDeleted, match: "data.orgId" }],
  },
  async ({ event, step, attempt }) => {
    const { messageId, endpointId } = event.data;

    const report = await step.run("attempt", async (): Promise<AttemptReport> => {
      const db = createServiceSupabase();
      const result = await attemptWebhook(db, { messageId, attemptInRound: attempt + 1, settings: deliverySettings() });
      // The endpoint is off now: later attempts would only be skipped, so stop here and say so.
      if ((result.result === "retry" || result.result === "failed") && result.endpointDisabled) {
        if (result.result === "retry") {
          const skipped = await db.rpc("skip_webhook_message", { p_message_id: messageId, p_reason: "endpoint disabled after failing" });
          if (skipped.error) throw new Error(`skip the webhook message: ${skipped.error.message}`);
        }
        return result;
      }
      if (result.result === "retry") throw new RetryAfterError(`attempt ${result.attempt} failed (${result.error})`, result.delayMs);
      if (result.result === "failed") {
        throw new NonRetriableError(
          result.permanent
            ? `the receiver refused the message for good (${result.error})`
            : `the last attempt failed (${result.error})`,
        );
      }
      return result;
    });

    if ((report.result === "retry" || report.result === "failed") && report.endpointDisabled) {
      await step.run("email-admins", () =>
        withEmailRetryPolicy(() => notifyEndpointDisabled(createServiceSupabase(), { endpointId }), "the webhook disabled email"),
      );
    }
    return report;
  },
);
