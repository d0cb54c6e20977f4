import { timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { CaughtMessage } from "./store";

/** Standard Webhooks' tolerance (the `standardwebhooks` package's): 5 minutes either way. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export type SignatureResult = "verified" | "mismatch" | "no-secret";

export type TimestampResult =
  | { status: "ok" | "too-old" | "too-new"; skewSeconds: number }
  | { status: "missing" | "invalid" };

export type Verification = {
  signature: SignatureResult;
  /** Why, for people: which part failed. */
  detail: string;
  /** The `webhook-timestamp` against the time the message arrived (not now: checks run at display time). */
  timestamp: TimestampResult;
};

/** `whsec_` and base64 of at least one byte, as the `standardwebhooks` package reads secrets. */
export const SECRET_PATTERN = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

/**
 * Checks a caught message against the secret pasted for its path. It runs each time a
 * message is shown, so a secret pasted after the message arrived applies to it too; that
 * is also why the signature and the timestamp are checked apart: `Webhook.verify` compares
 * the timestamp with the current time, and an hour-old message would fail on that alone.
 * So the expected signature is computed with the package's `sign` for the message's own
 * id and timestamp, and compared with each `v1,…` the header lists.
 */
export function verifyMessage(message: CaughtMessage, secret: string | undefined): Verification {
  const timestamp = checkTimestamp(message);
  if (secret === undefined) return { signature: "no-secret", detail: "No secret set for this path.", timestamp };
  const id = message.headers["webhook-id"];
  const signatures = message.headers["webhook-signature"];
  const sent = message.headers["webhook-timestamp"];
  if (!id || !signatures || !sent) {
    return { signature: "mismatch", detail: "The webhook-id, webhook-timestamp or webhook-signature header is missing.", timestamp };
  }
  if (timestamp.status === "invalid") return { signature: "mismatch", detail: "The webhook-timestamp header is not a number of seconds.", timestamp };

  let expected: string;
  try {
    expected = new Webhook(secret).sign(id, new Date(Number(sent) * 1000), message.body);
  } catch {
    return { signature: "mismatch", detail: "The secret set for this path can't be read as whsec_<base64>.", timestamp };
  }
  const candidates = signatures.split(" ").filter(Boolean);
  const matches = candidates.some((candidate) => sameText(candidate, expected));
  return matches
    ? { signature: "verified", detail: `One of ${candidates.length} v1 signatures matches the secret.`, timestamp }
    : {
        signature: "mismatch",
        detail: `None of the ${candidates.length} signatures matches the secret set for this path (wrong secret, or the body changed on the way).`,
        timestamp,
      };
}

function checkTimestamp(message: CaughtMessage): TimestampResult {
  const sent = message.headers["webhook-timestamp"];
  if (sent === undefined) return { status: "missing" };
  if (!/^\d+$/.test(sent.trim())) return { status: "invalid" };
  const skewSeconds = Math.round(Date.parse(message.receivedAt) / 1000 - Number(sent));
  const status = skewSeconds > TIMESTAMP_TOLERANCE_SECONDS ? "too-old" : skewSeconds < -TIMESTAMP_TOLERANCE_SECONDS ? "too-new" : "ok";
  return { status, skewSeconds };
}

/** Constant time, so the catcher models what a receiver should do. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The message's event type: the body's `type` when it is a JSON object with one. */
export function eventTypeOf(message: CaughtMessage): string | null {
  const body = parseJson(message.body);
  return typeof body === "object" && body !== null && "type" in body && typeof body.type === "string" ? body.type : null;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
