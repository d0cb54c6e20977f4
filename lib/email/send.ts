import "server-only";
import { render } from "@react-email/components";
import type { ReactElement } from "react";
import { Resend } from "resend";
import { env } from "@/lib/env";

export type OutgoingEmail = {
  to: string;
  subject: string;
  body: ReactElement;
  /** Resend sends once per key (24 h): a retried job can't send twice. */
  idempotencyKey: string;
  headers?: Record<string, string>;
};

/**
 * Why a send failed, in the terms a retry policy needs: a permanent failure won't fix
 * itself (the provider rejected the message), a transient one might (5xx, network), and
 * a rate limit says when to try again.
 */
export type EmailFailure =
  | { kind: "permanent"; status: number; message: string }
  /**
   * Resend refused a key it has already sent with, because this body differs (409
   * `invalid_idempotent_request`). Failed requests don't use a key up, so the first one
   * was accepted: the email went out.
   */
  | { kind: "already_sent"; message: string }
  | { kind: "rate_limited"; message: string; retryAfterSeconds: number }
  | { kind: "transient"; status: number | null; message: string };

export class EmailSendError extends Error {
  constructor(readonly failure: EmailFailure) {
    super(failure.message);
    this.name = "EmailSendError";
  }
}

const DEFAULT_RETRY_AFTER_SECONDS = 60;

export function classifyFailure(
  error: { statusCode: number | null; name: string; message: string },
  headers: Record<string, string> | null,
): EmailFailure {
  const { statusCode: status, message } = error;
  if (status === 429) {
    const retryAfter = Number(headers?.["retry-after"]);
    return {
      kind: "rate_limited",
      message,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : DEFAULT_RETRY_AFTER_SECONDS,
    };
  }
  // Another request with the same idempotency key is still in flight: wait for it.
  if (status === null || status >= 500 || error.name === "concurrent_idempotent_requests") {
    return { kind: "transient", status, message };
  }
  if (error.name === "invalid_idempotent_request") return { kind: "already_sent", message };
  return { kind: "permanent", status, message };
}

let client: Resend | undefined;
const resend = () => (client ??= new Resend(env().RESEND_API_KEY));

/** Renders a React Email template to HTML and plain text and sends it through Resend. */
export async function sendEmail(email: OutgoingEmail): Promise<{ id: string }> {
  const [html, text] = await Promise.all([render(email.body), render(email.body, { plainText: true })]);
  const { EMAIL_FROM, EMAIL_REPLY_TO } = env();
  const { data, error, headers } = await resend().emails.send(
    {
      from: EMAIL_FROM,
      to: email.to,
      subject: email.subject,
      html,
      text,
      ...(EMAIL_REPLY_TO ? { replyTo: EMAIL_REPLY_TO } : {}),
      ...(email.headers ? { headers: email.headers } : {}),
    },
    { idempotencyKey: email.idempotencyKey },
  );
  if (error) throw new EmailSendError(classifyFailure(error, headers));
  return { id: data.id };
}
