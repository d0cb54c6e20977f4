import { createServiceSupabase } from "@/lib/supabase/service";
import { endedJobOfRun, enqueueJobEvents, functionFinishedSchema, trackedFunctionFilter } from "@/lib/webhooks/fan-out";
import { inngest } from "../client";
import { webhookDeliveryEventId, webhookDeliveryRequested } from "../events";

/**
 * Turns each tracked job's end into webhook messages: when a job function's run finishes
 * (Inngest's `inngest/function.finished`), finds the job, enqueues one message per
 * subscribed endpoint and event (job.<status>, report.ready), and sends one delivery event
 * each. Every part is idempotent (dedupe keys, event ids), so a retried or duplicated
 * finish sends each message once.
 */
export const webhookJobEvents = inngest.createFunction(
  {
    id: "webhook-job-events",
    name: "Webhooks for job ends",
    triggers: [{ event: "inngest/function.finished", if: trackedFunctionFilter }],
    retries: 4,
  },
  async ({ event, step }) => {
    const parsed = functionFinishedSchema.safeParse(event.data);
    if (!parsed.success) return { sent: 0, skipped: `not a run's end: ${parsed.error.message}` };
    const finished = parsed.data;

    // Throws while the job hasn't ended (a cancel writes `cancelled` a moment later): retried.
    const job = await step.run("job", () => endedJobOfRun(createServiceSupabase(), finished));
    if (!job) return { sent: 0, skipped: "no job for this run" };

    const messages = await step.run("enqueue", () => enqueueJobEvents(createServiceSupabase(), job));
    if (messages.length === 0) return { sent: 0 };

    await step.sendEvent(
      "deliver",
      messages.map(({ messageId, endpointId, orgId, replays }) =>
        webhookDeliveryRequested.create({ orgId, endpointId, messageId, round: replays }, { id: webhookDeliveryEventId(messageId, replays) }),
      ),
    );
    return { sent: messages.length };
  },
);
