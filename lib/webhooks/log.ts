import { z } from "zod";
import type { Json, Tables } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { getEndpoint, notFound, webhooksError } from "./endpoints";
import { webhookMessageId } from "./event-types";
import { encodeMessageCursor, type MessagesQuery, type WebhookMessageEventType, type WebhookMessageStatus } from "./schemas";

/**
 * An endpoint's delivery log: its messages, newest first, and each one's attempts. Read
 * with the caller's client (owners and admins read their organisation's, RLS).
 */

/** A message in the log. */
export type WebhookMessage = {
  id: string;
  /** The `webhook-id` header it is sent with, on every attempt and replay. */
  webhookId: string;
  eventType: WebhookMessageEventType;
  status: WebhookMessageStatus;
  attempts: number;
  replays: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  jobId: string | null;
  createdAt: string;
  updatedAt: string;
};

/** One try to deliver a message. */
export type WebhookAttempt = {
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** The receiver's status; null when none came (timeout, refused connection). */
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
  outcome: z.infer<typeof outcomeSchema>;
};

export type MessagesPage = { messages: WebhookMessage[]; nextCursor: string | null };

export const messageColumns =
  "id, event_type, status, attempts, replays, next_attempt_at, last_status_code, last_error, delivered_at, job_id, created_at, updated_at";

type MessageRow = Pick<
  Tables<"webhook_messages">,
  | "id"
  | "event_type"
  | "status"
  | "attempts"
  | "replays"
  | "next_attempt_at"
  | "last_status_code"
  | "last_error"
  | "delivered_at"
  | "job_id"
  | "created_at"
  | "updated_at"
>;

export function toMessage(row: MessageRow): WebhookMessage {
  return {
    id: row.id,
    webhookId: webhookMessageId(row.id),
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    replays: row.replays,
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    jobId: row.job_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const outcomeSchema = z.enum(["delivered", "retry", "failed"]);

/**
 * A page of the endpoint's messages, newest first, filtered by status and event type.
 * `before` is the previous page's `nextCursor`: the page after its last message, by
 * (created_at, id), so messages made meanwhile never shift it.
 */
export async function listMessages(
  db: Db,
  { orgId, endpointId, status, eventType, before, limit }: { orgId: string; endpointId: string } & MessagesQuery,
): Promise<MessagesPage> {
  await getEndpoint(db, { orgId, endpointId });
  let request = db
    .from("webhook_messages")
    .select(messageColumns)
    .eq("org_id", orgId)
    .eq("endpoint_id", endpointId)
    .order("created_at", { ascending: false })
    .order("id", { ascending: false })
    .limit(limit + 1);
  if (status) request = request.eq("status", status);
  if (eventType) request = request.eq("event_type", eventType);
  if (before) {
    // Quoted: a timestamp's `+00:00` and `.` would otherwise read as PostgREST syntax.
    const at = `"${before.createdAt}"`;
    request = request.or(`created_at.lt.${at},and(created_at.eq.${at},id.lt.${before.id})`);
  }
  const { data, error } = await request;
  if (error) throw webhooksError("read the delivery log", error);
  const rows = data.slice(0, limit);
  const last = rows.at(-1);
  return {
    messages: rows.map(toMessage),
    nextCursor: data.length > limit && last ? encodeMessageCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

/** A message with what it sends (`payload`, the body's `data`) and its attempts, first first. */
export async function getMessage(
  db: Db,
  { orgId, endpointId, messageId }: { orgId: string; endpointId: string; messageId: string },
): Promise<{ message: WebhookMessage & { payload: Json }; attempts: WebhookAttempt[] }> {
  await getEndpoint(db, { orgId, endpointId });
  const { data, error } = await db
    .from("webhook_messages")
    .select(`${messageColumns}, payload`)
    .eq("org_id", orgId)
    .eq("endpoint_id", endpointId)
    .eq("id", messageId)
    .maybeSingle();
  if (error) throw webhooksError("read the message", error, "message");
  if (!data) throw notFound("message");
  const attempts = await listAttempts(db, { messageId });
  return { message: { ...toMessage(data), payload: data.payload }, attempts };
}

/** A message's attempts, first first. */
export async function listAttempts(db: Db, { messageId }: { messageId: string }): Promise<WebhookAttempt[]> {
  const { data, error } = await db
    .from("webhook_attempts")
    .select("attempt, started_at, duration_ms, status_code, response_excerpt, error, outcome")
    .eq("message_id", messageId)
    .order("attempt");
  if (error) throw webhooksError("read the message's attempts", error, "message");
  return data.map((row) => ({
    attempt: row.attempt,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    statusCode: row.status_code,
    responseExcerpt: row.response_excerpt,
    error: row.error,
    outcome: outcomeSchema.parse(row.outcome),
  }));
}
