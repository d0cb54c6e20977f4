import { z } from "zod";
import { Constants } from "@/lib/supabase/database.types";
import { webhookEventTypeSchema, WEBHOOK_EVENT_TYPES } from "./event-types";

/** `webhook_endpoints.url`'s limits. */
export const MIN_WEBHOOK_URL = 10;
export const MAX_WEBHOOK_URL = 2048;
/** `webhook_endpoints.description`'s limit, in code points as char_length counts them. */
export const MAX_WEBHOOK_DESCRIPTION = 200;
/** How many messages a page of the delivery log holds at most. */
export const MAX_MESSAGES_PAGE = 100;

/**
 * A URL as an endpoint stores it: one absolute http(s) URL, without credentials (they would
 * show in the list for every admin) or a fragment (never sent). Whether it may be used is
 * checkWebhookUrl's to say (lib/webhooks/url-safety.ts), with the 422 `unsafe_url`.
 */
export const webhookUrlSchema = z
  .string({ error: "Enter the endpoint's URL." })
  .trim()
  .min(1, "Enter the endpoint's URL.")
  .max(MAX_WEBHOOK_URL, `Use at most ${MAX_WEBHOOK_URL} characters.`)
  .refine((url) => !/\s/.test(url), { error: "Use a URL without spaces or line breaks." })
  .transform((text, context) => {
    const url = URL.canParse(text) ? new URL(text) : null;
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname) {
      context.addIssue({ code: "custom", message: "Enter a full URL starting with https://." });
      return z.NEVER;
    }
    if (url.username || url.password) {
      context.addIssue({ code: "custom", message: "Leave the user name and password out of the URL." });
      return z.NEVER;
    }
    if (url.hash) {
      context.addIssue({ code: "custom", message: "Leave the #fragment out of the URL: it is never sent." });
      return z.NEVER;
    }
    const href = url.href;
    if (href.length < MIN_WEBHOOK_URL || href.length > MAX_WEBHOOK_URL) {
      context.addIssue({ code: "custom", message: `Use a URL of ${MIN_WEBHOOK_URL} to ${MAX_WEBHOOK_URL} characters.` });
      return z.NEVER;
    }
    return href;
  });

export const webhookDescriptionSchema = z
  .string({ error: "Enter the description as text." })
  .trim()
  .refine((text) => !/\p{Cc}/u.test(text), { error: "Use one line without control characters (tabs, line breaks)." })
  .refine((text) => [...text].length <= MAX_WEBHOOK_DESCRIPTION, {
    error: `Use at most ${MAX_WEBHOOK_DESCRIPTION} characters.`,
  });

/** The events an endpoint receives: at least one, each once. */
export const webhookEventTypesSchema = z
  .array(webhookEventTypeSchema, { error: `Choose the events to send, from ${WEBHOOK_EVENT_TYPES.join(", ")}.` })
  .min(1, "Choose at least one event.")
  .max(WEBHOOK_EVENT_TYPES.length, "Choose each event once.")
  .refine((types) => new Set(types).size === types.length, { error: "Choose each event once." });

// Bodies ------------------------------------------------------------------------------

export const createEndpointSchema = z
  .object({
    url: webhookUrlSchema,
    description: webhookDescriptionSchema.default(""),
    eventTypes: webhookEventTypesSchema,
  })
  .strict();
export type CreateEndpointInput = z.output<typeof createEndpointSchema>;

export const updateEndpointSchema = z
  .object({
    url: webhookUrlSchema,
    description: webhookDescriptionSchema,
    eventTypes: webhookEventTypesSchema,
    enabled: z.boolean({ error: "Send enabled as true or false." }),
  })
  .partial()
  .strict()
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    error: "Send at least one of url, description, eventTypes and enabled.",
  });
export type UpdateEndpointInput = z.output<typeof updateEndpointSchema>;

/** Replays one message, or every failed (or skipped) one created since a time. */
export const replaySchema = z.union(
  [
    z.object({ messageId: z.uuid({ error: "Send the message's id." }) }).strict(),
    z
      .object({ since: z.iso.datetime({ offset: true, error: "Send since as an ISO 8601 date and time, like 2026-12-01T09:00:00Z." }) })
      .strict(),
  ],
  { error: "Send either messageId or since." },
);
export type ReplayInput = z.output<typeof replaySchema>;

// Queries -----------------------------------------------------------------------------

export const webhookMessageStatusSchema = z.enum(Constants.public.Enums.webhook_message_status, {
  error: `Choose one of ${Constants.public.Enums.webhook_message_status.join(", ")}.`,
});
export type WebhookMessageStatus = z.infer<typeof webhookMessageStatusSchema>;

/** Every event type a message may have: the subscribable ones and `webhook.test`. */
export const webhookMessageEventTypeSchema = z.enum(Constants.public.Enums.webhook_event_type, {
  error: `Choose one of ${Constants.public.Enums.webhook_event_type.join(", ")}.`,
});
export type WebhookMessageEventType = z.infer<typeof webhookMessageEventTypeSchema>;

/** Where a page of messages starts: after the message made at `createdAt` with `id` (newest first). */
export type MessageCursor = { createdAt: string; id: string };

/** A timestamp as the Data API writes one (`2026-01-01T12:00:00.123456+00:00`, or `+00` without minutes). */
const cursorTime = z.string().regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/);
const cursorParts = z.tuple([cursorTime, z.uuid()]);

export function encodeMessageCursor(cursor: MessageCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, "utf8").toString("base64url");
}

/** An opaque cursor from a page's `nextCursor`; anything else is a 400 naming `before`. */
export const messageCursorSchema = z
  .string()
  .max(200, "Use the nextCursor of a page as it came.")
  .transform((text, context): MessageCursor => {
    const decoded = /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, "base64url").toString("utf8").split("|") : [];
    const parts = cursorParts.safeParse(decoded);
    if (!parts.success) {
      context.addIssue({ code: "custom", message: "Use the nextCursor of a page as it came." });
      return z.NEVER;
    }
    return { createdAt: parts.data[0], id: parts.data[1] };
  });

export const messagesQuerySchema = z
  .object({
    status: webhookMessageStatusSchema.optional(),
    eventType: webhookMessageEventTypeSchema.optional(),
    before: messageCursorSchema.optional(),
    limit: z.coerce
      .number({ error: "Send limit as a number." })
      .int("Send limit as a whole number.")
      .min(1, "Ask for at least 1.")
      .max(MAX_MESSAGES_PAGE, `Ask for at most ${MAX_MESSAGES_PAGE}.`)
      .default(25),
  })
  .strict();
export type MessagesQuery = z.output<typeof messagesQuerySchema>;

// Route segments ------------------------------------------------------------------------

const id = z.uuid();

export const webhooksParams = z.object({ orgId: id });
export const endpointParams = z.object({ orgId: id, endpointId: id });
export const messageParams = z.object({ orgId: id, endpointId: id, messageId: id });
