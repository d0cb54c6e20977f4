import type { ErrorResponse } from "resend";
import { z } from "zod";

/**
 * What `POST /emails` and `POST /emails/batch` accept, checked the way Resend checks it
 * (https://resend.com/docs/api-reference/emails/send-email). Messages copy Resend's where
 * we know them ("Missing `to` field.", "Invalid `from` field. …"), so an app that logs or
 * matches them sees the same text locally.
 */

export type ErrorName = ErrorResponse["name"];
export type FieldError = { name: ErrorName; message: string };

export const MAX_RECIPIENTS = 50;
export const MAX_BATCH = 100;

// The local part and domain may not contain spaces or the characters that delimit
// addresses in a header; the domain needs a dot, as Resend's does.
const bareAddressPattern = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;.]+$/;
const namedAddressPattern = /^[^<>]*<([^<>]+)>$/;

/** The lower-cased address in `email@example.com` or `Name <email@example.com>`, else null. */
export function bareAddress(value: string): string | null {
  const trimmed = value.trim();
  const address = namedAddressPattern.exec(trimmed)?.[1] ?? trimmed;
  return bareAddressPattern.test(address) ? address.toLowerCase() : null;
}

const invalidAddress = (field: string) =>
  `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`;

/** `message` for a present but wrong value; a missing one gets parseEmail's "Missing `x` field.". */
const unlessMissing = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message),
});

const address = (field: string) =>
  z.string(unlessMissing(invalidAddress(field))).refine((value) => bareAddress(value) !== null, {
    error: invalidAddress(field),
  });

const addresses = (field: string) => z.array(address(field), unlessMissing(invalidAddress(field)));

/** Resend takes one address or an array of them; both are stored as an array. */
const oneOrMany = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" ? [value] : value), schema);

const invalidTag =
  "Invalid `tags` field: a tag's name and value may only contain ASCII letters, numbers, underscores and dashes, at most 256 of them.";
const tagPart = z.string({ error: invalidTag }).regex(/^[A-Za-z0-9_-]{1,256}$/, { error: invalidTag });
const tagSchema = z.object({ name: tagPart, value: tagPart }, { error: invalidTag });

const attachmentSchema = z
  .object({
    content: z.string().nullish(),
    filename: z.union([z.string(), z.literal(false)]).nullish(),
    path: z.string().nullish(),
    content_type: z.string().nullish(),
    content_id: z.string().nullish(),
  })
  .refine((attachment) => attachment.content != null || attachment.path != null, {
    error: "Attachment must have either a `content` or `path`.",
    params: { name: "invalid_attachment" },
  });

const emailFields = {
  from: address("from"),
  to: oneOrMany(
    addresses("to")
      .min(1, { error: "The `to` field needs at least one recipient." })
      .max(MAX_RECIPIENTS, { error: `The \`to\` field can have at most ${MAX_RECIPIENTS} recipients.` }),
  ),
  subject: z.string(unlessMissing("Invalid `subject` field: expected a string.")),
  // The SDK renders `react` to `html` before sending, so the API only ever sees html/text.
  html: z.string(unlessMissing("Invalid `html` field: expected a string.")).nullish(),
  text: z.string(unlessMissing("Invalid `text` field: expected a string.")).nullish(),
  cc: oneOrMany(addresses("cc")).nullish(),
  bcc: oneOrMany(addresses("bcc")).nullish(),
  reply_to: oneOrMany(addresses("reply_to")).nullish(),
  headers: z.record(z.string(), z.string(), { error: "Invalid `headers` field: expected an object of strings." }).nullish(),
  tags: z.array(tagSchema, { error: invalidTag }).nullish(),
  // Resend also takes natural language ("in 1 min"), so any string is kept as given.
  scheduled_at: z.string(unlessMissing("Invalid `scheduled_at` field: expected a string.")).nullish(),
  topic_id: z.string().nullish(),
  // Templates live in a Resend account; there is nothing local to render them from.
  template: z.undefined({ error: "The devstack can't render Resend templates: send `html` or `text` instead." }).optional(),
};

const hasBody = <T extends { html?: string | null; text?: string | null }>(schema: z.ZodType<T>) =>
  schema.refine((email) => email.html != null || email.text != null, {
    error: "Missing `html` or `text` field.",
    path: ["html"],
    params: { name: "missing_required_field" },
  });

export const emailSchema = hasBody(
  z.object({ ...emailFields, attachments: z.array(attachmentSchema, { error: "Invalid `attachments` field." }).nullish() }),
);

// https://resend.com/docs/api-reference/emails/send-batch-emails#limitations
export const batchEmailSchema = hasBody(
  z.object({ ...emailFields, attachments: z.undefined({ error: "The `attachments` field is not supported in batch sends." }).optional() }),
);

export type EmailInput = z.output<typeof emailSchema>;

/** Resend's error for the first thing wrong with `body`, or the parsed email. */
export function parseEmail(
  schema: typeof emailSchema | typeof batchEmailSchema,
  body: unknown,
): { email: EmailInput; error?: never } | { email?: never; error: FieldError } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { error: { name: "validation_error", message: "The request body must be a JSON object." } };
  }
  const result = schema.safeParse(body, {
    error: (issue) => (issue.input === undefined ? `Missing \`${String(issue.path?.[0])}\` field.` : undefined),
  });
  if (result.success) return { email: result.data };

  const issue = result.error.issues[0];
  if (!issue) throw new Error("zod reported a failure without issues");
  const named = issue.code === "custom" ? (issue.params as { name?: ErrorName } | undefined)?.name : undefined;
  const field = issue.path[0];
  const missing = typeof field === "string" && (body as Record<string, unknown>)[field] === undefined;
  return {
    error: {
      name: named ?? (missing ? "missing_required_field" : "validation_error"),
      message: issue.message,
    },
  };
}
