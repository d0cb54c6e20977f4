import { z } from "zod";
import { env } from "@/lib/env";
import { EmailSendError, sendEmail } from "@/lib/email/send";
import {
  AlertEmail,
  alertEmailSubject,
  AlertResolvedEmail,
  alertResolvedEmailSubject,
} from "@/lib/email/templates/alert-email";
import type { Db } from "@/lib/supabase/db";
import { postWebhook } from "@/lib/webhooks/http-delivery";
import { signedHeaders } from "@/lib/webhooks/signing";
import type { AlertChannel } from "./config";
import type { AlertIncident } from "./incidents";
import type { NotificationKind } from "./notifications";
import { describeRule } from "./rules";

/**
 * Sending one incident's opening or resolution on one channel: email to the platform
 * admins, a Slack incoming webhook, or a generic webhook signed like our outbound webhooks.
 * Each either sends, answers `false` (nobody to send to yet), or throws AlertDeliveryError
 * saying whether trying again can help.
 */

/**
 * The longest a step waits out a receiver's Retry-After. Longer, the message is given back
 * (its claim released) and left to the next check, which re-reads the incident first: a
 * run asleep for hours would otherwise wake to send an opening that has long resolved.
 */
export const MAX_RETRY_AFTER_SECONDS = 300;

/** What to do about a failed send: give up until the next check, retry soon, or retry after a wait. */
export type DeliveryRetry = { retry: false } | { retry: true; afterSeconds?: number };

export function deliveryRetry(error: AlertDeliveryError): DeliveryRetry {
  if (error.permanent) return { retry: false };
  if (error.retryAfterSeconds === undefined) return { retry: true };
  if (error.retryAfterSeconds > MAX_RETRY_AFTER_SECONDS) return { retry: false };
  return { retry: true, afterSeconds: error.retryAfterSeconds };
}

export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    /** Retrying can't help (the receiver refused the message, or the URL is wrong). */
    readonly permanent: boolean,
    /** The receiver asked to wait this long first (a 429's Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AlertDeliveryError";
  }
}

/**
 * The generic webhook's body (`webhook` channel), one per incident's opening and one per
 * its resolution; README "Alert channels" documents it. `webhook-id` is
 * `msg_alert_<incident id>_<status>`, the same on every retry, so a receiver can drop repeats.
 */
export const alertWebhookPayloadSchema = z.strictObject({
  type: z.literal("alert.incident"),
  status: z.enum(["open", "resolved"]),
  incident: z.strictObject({
    id: z.uuid(),
    rule: z.string(),
    /** The job type, or `*` for an install-wide rule (`worker_silent`). */
    jobType: z.string(),
    /** The figure that broke the rule, as last seen, and the threshold it broke. */
    value: z.number(),
    threshold: z.number(),
    title: z.string(),
    detail: z.string(),
    openedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
  }),
  consoleUrl: z.url(),
});
export type AlertWebhookPayload = z.infer<typeof alertWebhookPayloadSchema>;

type Notice = { incident: AlertIncident; kind: NotificationKind };

const consoleUrl = () => new URL("/admin", env().APP_URL).toString();

export function alertWebhookPayload({ incident, kind }: Notice): AlertWebhookPayload {
  const { title, detail } = describeRule(incident.rule, incident.jobType, incident.value, incident.threshold);
  return {
    type: "alert.incident",
    status: kind,
    incident: {
      id: incident.id,
      rule: incident.rule,
      jobType: incident.jobType,
      value: incident.value,
      threshold: incident.threshold,
      title,
      detail,
      openedAt: incident.openedAt,
      resolvedAt: kind === "resolved" ? incident.resolvedAt : null,
    },
    consoleUrl: consoleUrl(),
  };
}

/** Slack's mrkdwn reads &, < and > as markup: escaped as its docs ask. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The incoming webhook's `{text, blocks}`: `text` is the notification's fallback. */
export function slackMessage({ incident, kind }: Notice) {
  const { title, detail } = describeRule(incident.rule, incident.jobType, incident.value, incident.threshold);
  const headline = kind === "open" ? `:rotating_light: Alert: ${title}` : `:white_check_mark: Resolved: ${title}`;
  const body =
    kind === "open"
      ? `${slackEscape(detail)}\nSince ${new Date(incident.openedAt).toUTCString()}.`
      : `Cleared at ${new Date(incident.resolvedAt ?? incident.openedAt).toUTCString()}, open since ${new Date(incident.openedAt).toUTCString()}.`;
  return {
    text: headline,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(headline)}*\n${body}` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `<${consoleUrl()}|Open the operations console>` }] },
    ],
  };
}

/** Who hears about incidents by email: every platform admin, at their profile's address. */
export async function alertRecipients(serviceDb: Db): Promise<{ userId: string; email: string }[]> {
  const admins = await serviceDb.from("platform_admins").select("user_id");
  if (admins.error) throw new Error(`Could not list platform admins: ${admins.error.message}`);
  if (admins.data.length === 0) return [];
  const profiles = await serviceDb
    .from("profiles")
    .select("id, email")
    .in(
      "id",
      admins.data.map((admin) => admin.user_id),
    )
    .neq("email", "");
  if (profiles.error) throw new Error(`Could not read platform admins' addresses: ${profiles.error.message}`);
  return profiles.data.map((profile) => ({ userId: profile.id, email: profile.email }));
}

/**
 * Emails each platform admin. The idempotency key is the incident, the recipient and the
 * kind, so a retry after some were sent sends the rest only. False with no admin to tell.
 */
async function sendByEmail(serviceDb: Db, { incident, kind }: Notice): Promise<boolean> {
  const recipients = await alertRecipients(serviceDb);
  if (recipients.length === 0) return false;
  const { title, detail } = describeRule(incident.rule, incident.jobType, incident.value, incident.threshold);
  for (const recipient of recipients) {
    const props = { title, detail, openedAt: incident.openedAt, consoleUrl: consoleUrl() };
    try {
      await sendEmail(
        kind === "open"
          ? {
              to: recipient.email,
              subject: alertEmailSubject(title),
              body: AlertEmail(props),
              idempotencyKey: `alert/${incident.id}/${recipient.userId}`,
            }
          : {
              to: recipient.email,
              subject: alertResolvedEmailSubject(title),
              body: AlertResolvedEmail({ ...props, resolvedAt: incident.resolvedAt ?? incident.openedAt }),
              idempotencyKey: `alert/${incident.id}/${recipient.userId}/resolved`,
            },
      );
    } catch (error) {
      if (!(error instanceof EmailSendError)) throw error;
      const { failure } = error;
      // The key was used by an earlier try of this very message: it went.
      if (failure.kind === "already_sent") continue;
      // Named by user id: the message reaches logs, Inngest's step history and the check's answer.
      // A provider may quote the address back; the address never goes further than Resend.
      const why = failure.message.split(recipient.email).join("[recipient]");
      const message = `Resend refused the alert email to user ${recipient.userId}: ${why}`;
      throw new AlertDeliveryError(
        message,
        failure.kind === "permanent",
        failure.kind === "rate_limited" ? failure.retryAfterSeconds : undefined,
      );
    }
  }
  return true;
}

/**
 * POSTs to an alert receiver: a 2xx is delivered, a 429 or 5xx or no answer is worth
 * retrying, any other status is the receiver refusing the message (a Slack webhook that was
 * revoked answers 403 or 404, a deleted channel 410) and won't change by retrying.
 */
async function post(name: string, url: string, headers: Record<string, string>, body: string): Promise<true> {
  const result = await postWebhook({ url: new URL(url), headers, body, safety: { allowLoopback: env().WEBHOOKS_ALLOW_LOOPBACK } });
  if (result.status !== null && result.status >= 200 && result.status < 300) return true;
  if (result.error) {
    throw new AlertDeliveryError(`${name} could not be reached: ${result.error.message}`, result.error.kind === "unsafe_address");
  }
  const answer = `${name} answered ${result.status}${result.excerpt ? `: ${result.excerpt.slice(0, 200)}` : ""}`;
  if (result.status === 429) {
    const retryAfter = Number(result.retryAfter);
    throw new AlertDeliveryError(answer, false, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 60);
  }
  const status = result.status ?? 0;
  throw new AlertDeliveryError(
    status >= 400 && status < 500 ? `${answer}. Check the URL configured for it; retrying won't help.` : answer,
    status >= 300 && status < 500,
  );
}

function slackUrl(channel: AlertChannel): string | undefined {
  const { ALERT_SLACK_WEBHOOK_URL, ALERT_SLACK_CHANNELS } = env();
  if (channel === "slack") return ALERT_SLACK_WEBHOOK_URL;
  if (channel.startsWith("slack:")) return ALERT_SLACK_CHANNELS?.[channel.slice("slack:".length)];
  return undefined;
}

/** Sends one notice on one channel; false when there is nobody to tell yet (email, no admins). */
export async function sendOnChannel(serviceDb: Db, channel: AlertChannel, notice: Notice): Promise<boolean> {
  if (channel === "email") return sendByEmail(serviceDb, notice);
  if (channel === "webhook") {
    const { ALERT_WEBHOOK_URL, ALERT_WEBHOOK_SECRET } = env();
    if (!ALERT_WEBHOOK_URL || !ALERT_WEBHOOK_SECRET) throw new AlertDeliveryError("ALERT_WEBHOOK_URL is not set", true);
    const body = JSON.stringify(alertWebhookPayload(notice));
    const headers = signedHeaders({ messageId: `msg_alert_${notice.incident.id}_${notice.kind}`, body, secrets: [ALERT_WEBHOOK_SECRET] });
    return post("The alert webhook", ALERT_WEBHOOK_URL, headers, body);
  }
  const url = slackUrl(channel);
  if (!url) throw new AlertDeliveryError(`The Slack channel ${channel} has no webhook URL configured`, true);
  return post(`Slack (${channel})`, url, { "content-type": "application/json" }, JSON.stringify(slackMessage(notice)));
}
