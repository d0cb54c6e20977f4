import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks has it. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export const WEBHOOK_USER_AGENT = "Offload-Webhooks/1";

export type SignedHeaders = {
  "content-type": "application/json";
  "user-agent": string;
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/**
 * The headers of one attempt to deliver `body`: one `v1,` signature per secret (the current
 * one, and the previous one during a rotation's overlap), space-separated, so a receiver
 * still on the old secret verifies too.
 */
export function signedHeaders({
  messageId,
  body,
  secrets,
  at = new Date(),
}: {
  /** The `webhook-id`, `msg_…`. */
  messageId: string;
  body: string;
  secrets: readonly string[];
  at?: Date;
}): SignedHeaders {
  if (secrets.length === 0) throw new Error("a webhook message needs at least one signing secret");
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return {
    "content-type": "application/json",
    "user-agent": WEBHOOK_USER_AGENT,
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
