import { z } from "zod";

/** The event types an endpoint may subscribe to (`webhook.test` is sent on request only). */
export const WEBHOOK_EVENT_TYPES = ["job.completed", "job.failed", "job.cancelled", "report.ready"] as const;

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** Each event type for people (forms, the delivery log). */
export const WEBHOOK_EVENT_TYPE_LABELS = {
  "job.completed": "Job completed",
  "job.failed": "Job failed",
  "job.cancelled": "Job cancelled",
  "report.ready": "Report ready",
} as const satisfies Record<WebhookEventType, string>;

/**
 * A message's `webhook-id` header: the same on every attempt and replay, so a receiver can
 * drop the duplicates at-least-once delivery brings.
 */
export function webhookMessageId(uuid: string): string {
  return `msg_${uuid.replaceAll("-", "")}`;
}
