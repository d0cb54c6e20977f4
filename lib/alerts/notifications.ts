import { z } from "zod";
import type { Db } from "@/lib/supabase/db";
import { alertChannelSchema, type AlertChannel, type AlertRoute } from "./config";
import { incidentColumns, toIncident, type AlertIncident } from "./incidents";

/**
 * What each channel has been told about each incident (alert_notifications in
 * supabase/migrations/20261205010000_alert_channels.sql): an incident's opening goes to
 * the channels its route names, its resolution to the channels that heard it open.
 */

export const NOTIFICATION_KINDS = ["open", "resolved"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One message to send: this incident's opening or resolution, on this channel. */
export type PendingNotification = { incident: AlertIncident; channel: AlertChannel; kind: NotificationKind };

/**
 * How long a claim holds before another check may take it over: longer than one send
 * with its timeouts (10 s an HTTP attempt), short enough that a sender that crashed
 * mid-send delays the message by one check or two, not forever.
 */
export const CLAIM_LEASE_SECONDS = 120;

const withNewsRow = incidentColumns
  .extend({ opened_on: z.array(z.string()), resolved_on: z.array(z.string()) })
  .transform((row) => ({
    incident: toIncident(row),
    // A channel since removed from the configuration reads as one that is no longer there.
    openedOn: row.opened_on.flatMap((c) => alertChannelSchema.safeParse(c).data ?? []),
    resolvedOn: row.resolved_on.flatMap((c) => alertChannelSchema.safeParse(c).data ?? []),
  }));

class NotificationStoreError extends Error {
  constructor(what: string, cause: { message: string }) {
    super(`Could not ${what}: ${cause.message}`, { cause });
    this.name = "NotificationStoreError";
  }
}

/**
 * The channels an incident opens on: those of the first route that matches its job type
 * and rule, or every configured channel when no route matches (or none is configured).
 * First match wins, so a specific route before a catch-all sends a job type's alerts to
 * its team instead of, not as well as, everyone.
 */
export function routeIncident(
  incident: { rule: AlertIncident["rule"]; jobType: string },
  routes: readonly AlertRoute[],
  configured: readonly AlertChannel[],
): AlertChannel[] {
  const route = routes.find(
    (r) => (r.jobTypes?.includes(incident.jobType) ?? true) && (r.rules?.includes(incident.rule) ?? true),
  );
  if (!route) return [...configured];
  return configured.filter((channel) => route.channels.includes(channel));
}

/**
 * Every message due now: each open incident's opening on each channel routed to it that
 * hasn't had it, and each resolved incident's resolution on each channel that heard it
 * open and not yet close. An incident resolved before any channel heard of it says nothing.
 */
export async function pendingNotifications(
  serviceDb: Db,
  { routes, configured }: { routes: readonly AlertRoute[]; configured: readonly AlertChannel[] },
): Promise<PendingNotification[]> {
  const { data, error } = await serviceDb.rpc("alert_incidents_with_news");
  if (error) throw new NotificationStoreError("list incidents with news", error);
  return z
    .array(withNewsRow)
    .parse(data)
    .flatMap(({ incident, openedOn, resolvedOn }): PendingNotification[] => {
      if (incident.resolvedAt === null) {
        return routeIncident(incident, routes, configured)
          .filter((channel) => !openedOn.includes(channel))
          .map((channel) => ({ incident, channel, kind: "open" }));
      }
      return openedOn
        .filter((channel) => !resolvedOn.includes(channel) && configured.includes(channel))
        .map((channel) => ({ incident, channel, kind: "resolved" }));
    });
}

type Key = { incidentId: string; channel: AlertChannel; kind: NotificationKind };

/** Takes the claim on one message: true if the caller is now the one to send it. */
export async function claimNotification(serviceDb: Db, key: Key, now: Date): Promise<boolean> {
  const { data, error } = await serviceDb.rpc("claim_alert_notification", {
    p_incident_id: key.incidentId,
    p_channel: key.channel,
    p_kind: key.kind,
    p_now: now.toISOString(),
    p_lease_seconds: CLAIM_LEASE_SECONDS,
  });
  if (error) throw new NotificationStoreError("claim an alert notification", error);
  return z.boolean().parse(data);
}

/** Gives a claim back after a failed send, so the retry (or the next check) sends it at once. */
export async function releaseNotification(serviceDb: Db, key: Key): Promise<void> {
  const { error } = await serviceDb
    .from("alert_notifications")
    .delete()
    .eq("incident_id", key.incidentId)
    .eq("channel", key.channel)
    .eq("kind", key.kind)
    .is("sent_at", null);
  if (error) throw new NotificationStoreError("release an alert notification", error);
}

export async function markNotificationSent(serviceDb: Db, key: Key, at: Date): Promise<void> {
  const { error } = await serviceDb
    .from("alert_notifications")
    .update({ sent_at: at.toISOString() })
    .eq("incident_id", key.incidentId)
    .eq("channel", key.channel)
    .eq("kind", key.kind);
  if (error) throw new NotificationStoreError("mark an alert notification sent", error);
}
