/** The webhooks API's shapes, from lib/webhooks (types only: those modules run on the server). */
export type { WebhookEndpoint } from "@/lib/webhooks/endpoints";
export type { MessagesPage, WebhookAttempt, WebhookMessage } from "@/lib/webhooks/log";
export type { WebhookMessageEventType, WebhookMessageStatus } from "@/lib/webhooks/schemas";
