import { z } from "zod";
import { webhookDeliveryEventId, webhookDeliveryRequested } from "@/inngest/events";
import type { AdminScope } from "@/lib/admin/access";
import { recordAudit, type AuditAction } from "@/lib/admin/audit";
import { env } from "@/lib/env";
import { HttpError } from "@/lib/http/errors";
import type { Json, Tables } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { getOrganisation } from "@/lib/teams/organisations";
import { webhookEventTypeSchema, type WebhookEventType } from "./event-types";
import type { CreateEndpointInput, ReplayInput, UpdateEndpointInput } from "./schemas";
import { newWebhookSecret } from "./signing";
import { checkWebhookUrl } from "./url-safety";
import { log } from "@/lib/observability/log";

/**
 * An organisation's webhook endpoints, as its owners and admins manage them. Every function
 * takes the caller's own client: row-level security and the SQL functions of
 * 20261203000000_webhooks.sql decide what happens; this module answers in the API's terms,
 * and someone who is not an owner or admin of the organisation (a member, a stranger) is
 * told it doesn't exist (404), like any id that isn't theirs.
 */

/** What supabase-js reports for a refused call: the SQLSTATE in `code`, the function's hint. */
type DbError = { message: string; code?: string; hint?: string | null; details?: string | null };

const CHECK_VIOLATION = "23514";
const INVALID_PARAMETER_VALUE = "22023";

export const notFound = (what: string) => new HttpError(404, "not_found", `No such ${what}.`);

/**
 * A refusal from the database as the HttpError the API answers, by the hint each function
 * raises and the constraint a check names; anything else is an Error (a 500).
 */
export function webhooksError(action: string, error: DbError, what = "endpoint"): Error {
  if (error.hint === "not_found") return notFound(what);
  if (error.hint === "webhook_endpoint_limit") {
    return new HttpError(409, "webhook_endpoint_limit", "An organisation may have at most 20 webhook endpoints: delete one you no longer use first.");
  }
  const text = `${error.message} ${error.details ?? ""}`;
  if (error.code === CHECK_VIOLATION) {
    if (text.includes("webhook_endpoints_url_check")) return fieldError("url", "Enter a full URL starting with https://.");
    if (text.includes("webhook_endpoints_description_check")) return fieldError("description", "Use one line of at most 200 characters.");
    if (text.includes("webhook_endpoints_event_types_check")) return fieldError("eventTypes", "Choose at least one event, each once.");
  }
  if (error.code === INVALID_PARAMETER_VALUE) return new HttpError(400, "invalid_request", "Send either messageId or since.");
  return new Error(`Could not ${action}: ${error.message}`, { cause: error });
}

const fieldError = (field: string, message: string) =>
  new HttpError(400, "invalid_request", `Check these fields: ${field}.`, { [field]: message });

/** An endpoint as its organisation's owners and admins see it: never its secrets. */
export type WebhookEndpoint = {
  id: string;
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  /** Why it is off: turned off by someone, or after days of failed deliveries. */
  disabledReason: "manual" | "failing" | null;
  disabledAt: string | null;
  /** Since when every attempt has failed (null once one gets through). */
  failingSince: string | null;
  lastDeliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** The columns a user's client reads (the table holds no secret, but stays explicit). */
const endpointColumns =
  "id, org_id, url, description, event_types, enabled, disabled_reason, disabled_at, failing_since, last_delivered_at, created_at, updated_at";

type EndpointRow = Pick<
  Tables<"webhook_endpoints">,
  | "id"
  | "org_id"
  | "url"
  | "description"
  | "event_types"
  | "enabled"
  | "disabled_reason"
  | "disabled_at"
  | "failing_since"
  | "last_delivered_at"
  | "created_at"
  | "updated_at"
>;

const eventTypesSchema = z.array(webhookEventTypeSchema);
const disabledReasonSchema = z.enum(["manual", "failing"]).nullable();

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: eventTypesSchema.parse(row.event_types),
    enabled: row.enabled,
    disabledReason: disabledReasonSchema.parse(row.disabled_reason),
    disabledAt: row.disabled_at,
    failingSince: row.failing_since,
    lastDeliveredAt: row.last_delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The organisation, if the caller owns or administers it; a 404 otherwise (members too:
 * an endpoint's URL and its deliveries are for the people who manage the team).
 */
export async function requireWebhookAdmin(db: Db, { orgId }: { orgId: string }): Promise<void> {
  const organisation = await getOrganisation(db, { orgId });
  if (!organisation || organisation.role === "member") throw notFound("organisation");
}

/** The endpoint of the organisation, or a 404 (another organisation's id is as unknown as none). */
export async function getEndpoint(db: Db, { orgId, endpointId }: { orgId: string; endpointId: string }): Promise<WebhookEndpoint> {
  await requireWebhookAdmin(db, { orgId });
  const { data, error } = await db
    .from("webhook_endpoints")
    .select(endpointColumns)
    .eq("org_id", orgId)
    .eq("id", endpointId)
    .maybeSingle();
  if (error) throw webhooksError("read the endpoint", error);
  if (!data) throw notFound("endpoint");
  return toEndpoint(data);
}

/** The organisation's endpoints, oldest first. */
export async function listEndpoints(db: Db, { orgId }: { orgId: string }): Promise<WebhookEndpoint[]> {
  await requireWebhookAdmin(db, { orgId });
  const { data, error } = await db
    .from("webhook_endpoints")
    .select(endpointColumns)
    .eq("org_id", orgId)
    .order("created_at")
    .order("id");
  if (error) throw webhooksError("list the endpoints", error);
  return data.map(toEndpoint);
}

/**
 * Refuses (422 `unsafe_url`, naming `field`) a URL that must not receive webhooks: see
 * url-safety.ts. It is checked again at every delivery, as DNS may change.
 */
export async function assertSafeWebhookUrl(url: string, field = "url"): Promise<void> {
  const check = await checkWebhookUrl(url, { allowLoopback: env().WEBHOOKS_ALLOW_LOOPBACK });
  if (check.safe) return;
  const message = `Use another URL: ${check.message}.`;
  throw new HttpError(422, "unsafe_url", message, { [field]: message });
}

/** Who did it, as the audit log records an actor. */
export type Actor = { userId: string; email: string };

const auditActor = (actor: Actor, orgId: string): AdminScope => ({
  userId: actor.userId,
  email: actor.email,
  platformAdmin: false,
  orgIds: [orgId],
});

async function audit(service: Db, actor: Actor, orgId: string, action: AuditAction, details: Json): Promise<void> {
  await recordAudit(service, auditActor(actor, orgId), { action, orgId, details });
}

/**
 * Registers an endpoint with a new signing secret (`create_webhook_endpoint`), which the
 * answer holds: the only time anyone sees it. Audited (`webhook.endpoint_created`).
 */
export async function createEndpoint(
  db: Db,
  { orgId, url, description, eventTypes }: { orgId: string } & CreateEndpointInput,
  { actor, service }: { actor: Actor; service: Db },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  await requireWebhookAdmin(db, { orgId });
  await assertSafeWebhookUrl(url);
  const secret = newWebhookSecret();
  const { data, error } = await db
    .rpc("create_webhook_endpoint", {
      p_org_id: orgId,
      p_url: url,
      p_description: description,
      p_event_types: eventTypes,
      p_secret: secret,
    })
    .single();
  if (error) throw webhooksError("create the endpoint", error, "organisation");
  const endpoint = toEndpoint(data);
  await audit(service, actor, orgId, "webhook.endpoint_created", { endpointId: endpoint.id, url: endpoint.url, eventTypes });
  return { endpoint, secret };
}

/** Changes an endpoint's URL, description, events or whether it is on. */
export async function updateEndpoint(
  db: Db,
  { orgId, endpointId, ...change }: { orgId: string; endpointId: string } & UpdateEndpointInput,
): Promise<WebhookEndpoint> {
  await requireWebhookAdmin(db, { orgId });
  if (change.url !== undefined) await assertSafeWebhookUrl(change.url);
  const { data, error } = await db
    .from("webhook_endpoints")
    .update({ url: change.url, description: change.description, event_types: change.eventTypes, enabled: change.enabled })
    .eq("org_id", orgId)
    .eq("id", endpointId)
    .select(endpointColumns)
    .maybeSingle();
  if (error) throw webhooksError("change the endpoint", error);
  if (!data) throw notFound("endpoint");
  return toEndpoint(data);
}

/** Deletes an endpoint with its secrets, messages and attempts. Audited (`webhook.endpoint_deleted`). */
export async function deleteEndpoint(
  db: Db,
  { orgId, endpointId }: { orgId: string; endpointId: string },
  { actor, service }: { actor: Actor; service: Db },
): Promise<void> {
  await requireWebhookAdmin(db, { orgId });
  const { data, error } = await db
    .from("webhook_endpoints")
    .delete()
    .eq("org_id", orgId)
    .eq("id", endpointId)
    .select("id, url");
  if (error) throw webhooksError("delete the endpoint", error);
  const [deleted] = data;
  if (!deleted) throw notFound("endpoint");
  await audit(service, actor, orgId, "webhook.endpoint_deleted", { endpointId, url: deleted.url });
}

/**
 * Gives the endpoint a new signing secret (answered once); the one before keeps signing
 * until `previousExpiresAt`, so a receiver can switch without losing a message. Audited
 * (`webhook.secret_rotated`).
 */
export async function rotateSecret(
  db: Db,
  { orgId, endpointId }: { orgId: string; endpointId: string },
  { actor, service }: { actor: Actor; service: Db },
): Promise<{ secret: string; previousExpiresAt: string }> {
  await getEndpoint(db, { orgId, endpointId });
  const secret = newWebhookSecret();
  const { data, error } = await db.rpc("rotate_webhook_secret", { p_endpoint_id: endpointId, p_secret: secret });
  if (error) throw webhooksError("rotate the secret", error);
  const previousExpiresAt = new Date(z.string().parse(data)).toISOString();
  await audit(service, actor, orgId, "webhook.secret_rotated", { endpointId, previousExpiresAt });
  return { secret, previousExpiresAt };
}

/** A message to deliver: what `webhookDeliveryRequested` carries. */
export type QueuedMessage = { orgId: string; endpointId: string; messageId: string; round: number };

const queuedRow = z.object({ message_id: z.uuid(), endpoint_id: z.uuid(), org_id: z.uuid(), replays: z.number().int().min(0) });

const toQueued = (rows: unknown[]): QueuedMessage[] =>
  rows.map((row) => {
    const parsed = queuedRow.parse(row);
    return { orgId: parsed.org_id, endpointId: parsed.endpoint_id, messageId: parsed.message_id, round: parsed.replays };
  });

/** A `webhook.test` message to the endpoint (on or off: testing is how one checks a receiver). */
export async function createTestMessage(db: Db, { orgId, endpointId }: { orgId: string; endpointId: string }): Promise<QueuedMessage> {
  await getEndpoint(db, { orgId, endpointId });
  const { data, error } = await db.rpc("create_test_webhook_message", {
    p_endpoint_id: endpointId,
    p_payload: { test: true, endpointId },
  });
  if (error) throw webhooksError("create the test message", error);
  const [message] = toQueued(data);
  if (!message) throw new Error(`create_test_webhook_message made no message for endpoint ${endpointId}`);
  return message;
}

/**
 * Puts failed (or skipped) messages back in line: one, or every one created since a time
 * (at most 1,000, oldest first), each with one more replay. Replaying a message that isn't
 * the endpoint's is a 404, one that hasn't failed a 409. Audited (`webhook.replayed`).
 */
export async function replayMessages(
  db: Db,
  { orgId, endpointId, ...which }: { orgId: string; endpointId: string } & ReplayInput,
  { actor, service }: { actor: Actor; service: Db },
): Promise<QueuedMessage[]> {
  await getEndpoint(db, { orgId, endpointId });
  const { data, error } = await db.rpc(
    "replay_webhook_messages",
    "messageId" in which ? { p_endpoint_id: endpointId, p_message_id: which.messageId } : { p_endpoint_id: endpointId, p_since: which.since },
  );
  if (error) throw webhooksError("replay the messages", error);
  const replayed = toQueued(data);
  if ("messageId" in which && replayed.length === 0) {
    const found = await db
      .from("webhook_messages")
      .select("status")
      .eq("endpoint_id", endpointId)
      .eq("id", which.messageId)
      .maybeSingle();
    if (found.error) throw webhooksError("replay the message", found.error, "message");
    if (!found.data) throw notFound("message");
    throw new HttpError(409, "not_replayable", `This message is ${found.data.status}: only failed or skipped messages can be replayed.`);
  }
  await audit(service, actor, orgId, "webhook.replayed", {
    endpointId,
    ...("messageId" in which ? { messageId: which.messageId } : { since: which.since }),
    count: replayed.length,
    messageIds: replayed.map((message) => message.messageId),
  });
  return replayed;
}

/** The events that deliver `messages`, each named by its message and round, so a repeat is one delivery. */
export function deliveryEvents(messages: QueuedMessage[]) {
  return messages.map((message) => webhookDeliveryRequested.create(message, { id: webhookDeliveryEventId(message.messageId, message.round) }));
}

/**
 * Sends the delivery events through `emit`. When the queue can't be reached the messages
 * are marked skipped (so they can be replayed, rather than wait as pending for an event
 * that was never sent) and the answer says so: a 503, not a claim they are on their way.
 * `service` is the server's client: only it may mark a message.
 */
export async function queueDeliveries(
  service: Db,
  messages: QueuedMessage[],
  emit: (events: ReturnType<typeof deliveryEvents>) => Promise<unknown>,
): Promise<void> {
  if (messages.length === 0) return;
  try {
    await emit(deliveryEvents(messages));
  } catch (error) {
    log().error({ err: error, messageIds: messages.map((message) => message.messageId) }, "webhook messages could not be queued");
    await Promise.all(
      messages.map(async ({ messageId }) => {
        const skip = () => service.rpc("skip_webhook_message", { p_message_id: messageId, p_reason: NOT_QUEUED });
        let skipped = await skip();
        // Once more when the answer never came (status 0): after the wait for the queue, a
        // pooled connection may have been closed by the server. Skipping twice is harmless.
        if (skipped.error && skipped.status === 0) skipped = await skip();
        if (skipped.error) log().error({ err: skipped.error, messageId }, "a webhook message could not be marked skipped");
      }),
    );
    throw new HttpError(503, "queue_unavailable", "The messages can't be sent right now. They are in the log as skipped: replay them in a moment.");
  }
}

/** Why a message the queue never got is skipped. */
export const NOT_QUEUED = "Could not be queued for delivery; replay it.";
