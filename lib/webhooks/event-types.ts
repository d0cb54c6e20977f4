import { z } from "zod";

/** The events an endpoint may subscribe to (`webhook.test` is sent only on request). */
export const WEBHOOK_EVENT_TYPES = ["job.completed", "job.failed", "job.cancelled", "report.ready"] as const;

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, {
  error: `Choose from ${WEBHOOK_EVENT_TYPES.join(", ")}.`,
});
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** What each event is, for people choosing what to receive. */
export const webhookEventTypeLabels: Record<WebhookEventType, string> = {
  "job.completed": "A job completed",
  "job.failed": "A job failed after its retries",
  "job.cancelled": "A job was cancelled",
  "report.ready": "A report is ready to download",
};

/** A message's `webhook-id` header: the same on every attempt and replay, so receivers can dedupe. */
export const webhookMessageId = (uuid: string) => `msg_${uuid.replaceAll("-", "")}`;
