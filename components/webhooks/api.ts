import { z } from "zod";
import { answer, api } from "@/lib/http/client";
import type { Json } from "@/lib/supabase/database.types";
import type { WebhookEventType } from "@/lib/webhooks/event-types";
import type { MessagesPage, WebhookAttempt, WebhookEndpoint, WebhookMessage, WebhookMessageEventType, WebhookMessageStatus } from "./types";

/**
 * The browser's side of the webhooks API (/api/organisations/:orgId/webhooks). Each call
 * throws the route's `HttpError` (lib/http/client.ts), whose message is written for people.
 */

const webhooksPath = (orgId: string) => `/api/organisations/${encodeURIComponent(orgId)}/webhooks`;
const endpointPath = (orgId: string, endpointId: string) => `${webhooksPath(orgId)}/${encodeURIComponent(endpointId)}`;

export type MessageFilters = { status?: WebhookMessageStatus; eventType?: WebhookMessageEventType };

/** Query keys per organisation and endpoint, so a list never shows another team's rows after a switch. */
export const webhookKeys = {
  all: ["webhooks"] as const,
  endpoints: (orgId: string) => [...webhookKeys.all, orgId, "endpoints"] as const,
  messages: (orgId: string, endpointId: string, filters: MessageFilters) =>
    [...webhookKeys.all, orgId, endpointId, "messages", filters] as const,
  allMessages: (orgId: string, endpointId: string) => [...webhookKeys.all, orgId, endpointId, "messages"] as const,
  message: (orgId: string, endpointId: string, messageId: string) => [...webhookKeys.all, orgId, endpointId, "message", messageId] as const,
};

const endpointsAnswer = z.object({ endpoints: z.array(answer<WebhookEndpoint>()) });

export async function fetchEndpoints(orgId: string, signal?: AbortSignal): Promise<WebhookEndpoint[]> {
  const { endpoints } = await api(webhooksPath(orgId), endpointsAnswer, { signal });
  return endpoints;
}

const createdAnswer = z.object({ endpoint: answer<WebhookEndpoint>(), secret: z.string() });

export function createEndpoint(
  orgId: string,
  body: { url: string; description: string; eventTypes: WebhookEventType[] },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  return api(webhooksPath(orgId), createdAnswer, { method: "POST", json: body });
}

const endpointAnswer = z.object({ endpoint: answer<WebhookEndpoint>() });

export async function updateEndpoint(
  orgId: string,
  endpointId: string,
  body: { url?: string; description?: string; eventTypes?: WebhookEventType[]; enabled?: boolean },
): Promise<WebhookEndpoint> {
  const { endpoint } = await api(endpointPath(orgId, endpointId), endpointAnswer, { method: "PATCH", json: body });
  return endpoint;
}

export async function deleteEndpoint(orgId: string, endpointId: string): Promise<void> {
  await api(endpointPath(orgId, endpointId), z.undefined(), { method: "DELETE" });
}

const rotatedAnswer = z.object({ secret: z.string(), previousExpiresAt: z.string() });

export function rotateSecret(orgId: string, endpointId: string): Promise<{ secret: string; previousExpiresAt: string }> {
  return api(`${endpointPath(orgId, endpointId)}/rotate`, rotatedAnswer, { method: "POST" });
}

const testAnswer = z.object({ messageId: z.string() });

export async function sendTestEvent(orgId: string, endpointId: string): Promise<string> {
  const { messageId } = await api(`${endpointPath(orgId, endpointId)}/test`, testAnswer, { method: "POST" });
  return messageId;
}

const pageAnswer = answer<MessagesPage>();

export function fetchMessages(
  orgId: string,
  endpointId: string,
  { filters, before, signal }: { filters: MessageFilters; before?: string | null; signal?: AbortSignal },
): Promise<MessagesPage> {
  return api(`${endpointPath(orgId, endpointId)}/messages`, pageAnswer, { query: { ...filters, before }, signal });
}

const messageAnswer = z.object({ message: answer<WebhookMessage & { payload: Json }>(), attempts: z.array(answer<WebhookAttempt>()) });

export function fetchMessage(
  orgId: string,
  endpointId: string,
  messageId: string,
  signal?: AbortSignal,
): Promise<{ message: WebhookMessage & { payload: Json }; attempts: WebhookAttempt[] }> {
  return api(`${endpointPath(orgId, endpointId)}/messages/${encodeURIComponent(messageId)}`, messageAnswer, { signal });
}

const replayAnswer = z.object({ replayed: z.number() });

export async function replay(orgId: string, endpointId: string, body: { messageId: string } | { since: string }): Promise<number> {
  const { replayed } = await api(`${endpointPath(orgId, endpointId)}/replay`, replayAnswer, { method: "POST", json: body });
  return replayed;
}
