import "server-only";
import { sendEmail } from "@/lib/email/send";
import { WebhookDisabledEmail, webhookDisabledSubject } from "@/lib/email/templates/webhook-disabled-email";
import { env } from "@/lib/env";
import type { Db } from "@/lib/supabase/db";
import { profilesOf } from "@/lib/teams/members";
import { webhookMessageId } from "./event-types";
import { postWebhook, type HttpDeliveryResult } from "./http-delivery";
import { decideOutcome } from "./retry-policy";
import { signedHeaders } from "./signing";
import { checkWebhookUrl, type UrlSafetyOptions } from "./url-safety";

/** What one attempt came to; the function turns it into Inngest's retry policy. */
export type AttemptReport =
  | { result: "skipped"; reason: string }
  | { result: "delivered"; attempt: number; status: number }
  | {
      result: "failed";
      attempt: number;
      /** A 4xx that says "never" (not "not now"), rather than the last attempt. */
      permanent: boolean;
      error: string;
      endpointDisabled: boolean;
    }
  | { result: "retry"; attempt: number; delayMs: number; error: string; endpointDisabled: boolean };

export type DeliverySettings = UrlSafetyOptions & { timeScale: number };

export const deliverySettings = (): DeliverySettings => ({
  allowLoopback: env().WEBHOOKS_ALLOW_LOOPBACK,
  timeScale: env().WEBHOOK_RETRY_TIME_SCALE,
});

function fail(what: string, error: { message: string }): never {
  throw new Error(`${what}: ${error.message}`, { cause: error });
}

/** The message's endpoint's secrets that still sign: the current one and one in its overlap. */
async function activeSecrets(db: Db, endpointId: string, now: Date): Promise<string[]> {
  const { data, error } = await db
    .from("webhook_secrets")
    .select("secret, expires_at")
    .eq("endpoint_id", endpointId)
    .or(`expires_at.is.null,expires_at.gt.${now.toISOString()}`)
    .order("created_at", { ascending: false });
  if (error) fail("read the webhook's secrets", error);
  return data.map((row) => row.secret);
}

/** What the delivery log says about an attempt that got no answer, or an unwelcome one. */
function describe(result: HttpDeliveryResult): string {
  if (result.error) return `${result.error.kind}: ${result.error.message}`;
  return `HTTP ${result.status}`;
}

/**
 * Makes attempt `attemptInRound` (1-based, within this delivery round) to deliver one
 * message, with the service role: reads the message, its endpoint and secrets again (each
 * attempt sees an endpoint turned off, a rotated secret), checks the URL, POSTs, and records
 * the attempt. Never throws for the receiver's failures, only for our own (the database).
 */
export async function attemptWebhook(
  db: Db,
  { messageId, attemptInRound, settings, now = () => new Date() }: {
    messageId: string;
    attemptInRound: number;
    settings: DeliverySettings;
    now?: () => Date;
  },
): Promise<AttemptReport> {
  const message = await db
    .from("webhook_messages")
    .select("id, endpoint_id, event_type, payload, status, created_at")
    .eq("id", messageId)
    .maybeSingle();
  if (message.error) fail("read the webhook message", message.error);
  // Deleted with its endpoint or team, or by the cleanup.
  if (!message.data) return { result: "skipped", reason: "message gone" };
  const msg = message.data;
  // Already ended (a duplicate event): nothing to do until it is replayed.
  if (msg.status !== "pending" && msg.status !== "retrying") return { result: "skipped", reason: `message ${msg.status}` };

  const endpoint = await db.from("webhook_endpoints").select("id, url, enabled").eq("id", msg.endpoint_id).maybeSingle();
  if (endpoint.error) fail("read the webhook endpoint", endpoint.error);
  if (!endpoint.data?.enabled) {
    const reason = endpoint.data ? "endpoint disabled" : "endpoint deleted";
    const skipped = await db.rpc("skip_webhook_message", { p_message_id: messageId, p_reason: reason });
    if (skipped.error) fail("skip the webhook message", skipped.error);
    return { result: "skipped", reason };
  }

  const startedAt = now();
  const check = await checkWebhookUrl(endpoint.data.url, settings);
  let delivery: HttpDeliveryResult;
  if (!check.safe) {
    delivery = {
      startedAt,
      durationMs: Math.round(now().getTime() - startedAt.getTime()),
      status: null,
      excerpt: null,
      retryAfter: null,
      error: { kind: "unsafe_address", message: check.message },
    };
  } else {
    const secrets = await activeSecrets(db, endpoint.data.id, startedAt);
    const body = JSON.stringify({ type: msg.event_type, timestamp: new Date(msg.created_at).toISOString(), data: msg.payload });
    const headers = signedHeaders({ messageId: webhookMessageId(msg.id), body, secrets, at: startedAt });
    delivery = await postWebhook({ url: check.url, headers, body, safety: settings });
  }

  const decision = decideOutcome({
    attempt: attemptInRound,
    status: delivery.error ? null : delivery.status,
    retryAfter: delivery.retryAfter,
    timeScale: settings.timeScale,
    now: now(),
  });
  const outcome = decision.outcome;
  const nextAttemptAt = decision.outcome === "retry" ? new Date(now().getTime() + decision.delayMs).toISOString() : undefined;
  const error = outcome === "delivered" ? null : describe(delivery);
  // What an attempt lacks (no answer, no error) is left out: the function's default is null.
  const recorded = await db
    .rpc("record_webhook_attempt", {
      p_message_id: messageId,
      p_started_at: delivery.startedAt.toISOString(),
      p_duration_ms: delivery.durationMs,
      p_outcome: outcome,
      p_status_code: delivery.error ? undefined : (delivery.status ?? undefined),
      p_response_excerpt: delivery.excerpt ?? undefined,
      p_error: error ?? undefined,
      p_next_attempt_at: nextAttemptAt,
    })
    .single();
  if (recorded.error) fail("record the webhook attempt", recorded.error);
  const { attempt, endpoint_disabled: endpointDisabled } = recorded.data;

  if (decision.outcome === "delivered") return { result: "delivered", attempt, status: delivery.status ?? 0 };
  if (decision.outcome === "failed") {
    return { result: "failed", attempt, permanent: decision.permanent, error: error ?? "", endpointDisabled };
  }
  return { result: "retry", attempt, delayMs: decision.delayMs, error: error ?? "", endpointDisabled };
}

/**
 * Tells an organisation's owners and admins that one of its endpoints was turned off for
 * failing: once per turning-off (Resend's key names the endpoint and when it went off).
 */
export async function notifyEndpointDisabled(db: Db, { endpointId }: { endpointId: string }): Promise<{ sent: number }> {
  const endpoint = await db
    .from("webhook_endpoints")
    .select("id, org_id, url, enabled, disabled_reason, disabled_at, failing_since")
    .eq("id", endpointId)
    .maybeSingle();
  if (endpoint.error) fail("read the webhook endpoint", endpoint.error);
  const found = endpoint.data;
  // Turned back on (or deleted) before we got here: nothing to say any more.
  if (!found || found.enabled || found.disabled_reason !== "failing" || !found.disabled_at) return { sent: 0 };

  const [team, admins, last] = await Promise.all([
    db.from("organisations").select("name").eq("id", found.org_id).single(),
    db.from("memberships").select("user_id").eq("org_id", found.org_id).in("role", ["owner", "admin"]),
    db
      .from("webhook_messages")
      .select("last_error")
      .eq("endpoint_id", endpointId)
      .not("last_error", "is", null)
      .order("updated_at", { ascending: false })
      .limit(1)
      .maybeSingle(),
  ]);
  if (team.error) fail("read the organisation", team.error);
  if (admins.error) fail("read the organisation's admins", admins.error);
  if (last.error) fail("read the endpoint's last error", last.error);
  const profiles = await profilesOf(db, admins.data.map((row) => row.user_id));
  const webhooksUrl = new URL("/dashboard/webhooks", env().APP_URL).toString();
  let sent = 0;
  for (const [userId, profile] of profiles) {
    await sendEmail({
      to: profile.email,
      subject: webhookDisabledSubject,
      body: WebhookDisabledEmail({
        teamName: team.data.name,
        endpointUrl: found.url,
        failingSince: found.failing_since,
        lastError: last.data?.last_error ?? null,
        webhooksUrl,
      }),
      idempotencyKey: `webhook-disabled-${endpointId}-${found.disabled_at}-${userId}`,
    });
    sent += 1;
  }
  return { sent };
}
