import { z } from "zod";
import type { Db } from "@/lib/supabase/db";
import { log } from "@/lib/observability/log";

/**
 * Worker health as Inngest sees it: when Inngest last reached /api/inngest with a request
 * whose signature verified (a sync the SDK answered 2xx, a call it answered anything but
 * 401) (inngest_contacts in
 * supabase/migrations/20261205010000_alert_channels.sql). A failed sync or a wrong signing
 * key leaves the times where they were, which the console and `worker_silent` show.
 */

export const CONTACT_KINDS = ["sync", "call"] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/**
 * Each server instance writes a kind at most this often: a busy worker's calls cost one
 * upsert a minute, not one each, and the times stay far finer than the alert's 15 minutes.
 */
export const CONTACT_RECORD_INTERVAL_MS = 60_000;

/** Bounds the write, so a slow database delays an Inngest call by at most this. */
const RECORD_TIMEOUT_MS = 2_000;

const lastWritten = new Map<ContactKind, number>();

/**
 * Records that Inngest reached the app (call only once the SDK verified the request). Never throws:
 * a call Inngest made must not fail because its bookkeeping did; a failed write is tried
 * again by the next call after the interval.
 */
export async function recordInngestContact(serviceDb: Db, kind: ContactKind, at = new Date()): Promise<void> {
  const previous = lastWritten.get(kind);
  if (previous !== undefined && at.getTime() - previous < CONTACT_RECORD_INTERVAL_MS) return;
  lastWritten.set(kind, at.getTime());
  try {
    const { error } = await serviceDb
      .rpc("record_inngest_contact", { p_kind: kind, p_at: at.toISOString() })
      .abortSignal(AbortSignal.timeout(RECORD_TIMEOUT_MS));
    if (error) log().error({ err: error, kind }, "could not record Inngest's contact");
  } catch (error) {
    log().error({ err: error, kind }, "could not record Inngest's contact");
  }
}

export type InngestContact = { firstAt: string; lastAt: string };
export type InngestContacts = Record<ContactKind, InngestContact | null>;

const contactRow = z.object({
  kind: z.enum(CONTACT_KINDS),
  first_at: z.string().transform((v) => new Date(v).toISOString()),
  last_at: z.string().transform((v) => new Date(v).toISOString()),
});

export async function getInngestContacts(serviceDb: Db): Promise<InngestContacts> {
  const { data, error } = await serviceDb.from("inngest_contacts").select("kind, first_at, last_at");
  if (error) throw new Error(`Could not read Inngest's contacts: ${error.message}`);
  const rows = z.array(contactRow).parse(data);
  const of = (kind: ContactKind) => {
    const row = rows.find((r) => r.kind === kind);
    return row ? { firstAt: row.first_at, lastAt: row.last_at } : null;
  };
  return { sync: of("sync"), call: of("call") };
}

/**
 * The latest contact of either kind, or null if Inngest never reached the app. `reachedAt`
 * is a contact the caller witnessed that may not be recorded yet (the cron's own call).
 */
export function lastContactAt(contacts: InngestContacts, reachedAt?: Date): Date | null {
  const times = CONTACT_KINDS.flatMap((kind) => (contacts[kind] ? [new Date(contacts[kind].lastAt).getTime()] : []));
  if (reachedAt) times.push(reachedAt.getTime());
  return times.length === 0 ? null : new Date(Math.max(...times));
}

/**
 * What the console says about the worker: `never` (Inngest has not reached the app: not
 * synced yet, or every attempt refused), `silent` (no contact for longer than the alert's
 * threshold, whether or not jobs wait), or `ok`.
 */
export type WorkerHealth =
  | { state: "never"; contacts: InngestContacts }
  | { state: "ok" | "silent"; contacts: InngestContacts; silentForSeconds: number };

export function workerHealth(contacts: InngestContacts, now: Date, silentAfterSeconds: number): WorkerHealth {
  const last = lastContactAt(contacts);
  if (last === null) return { state: "never", contacts };
  const silentForSeconds = Math.max(0, Math.floor((now.getTime() - last.getTime()) / 1000));
  return { state: silentForSeconds > silentAfterSeconds ? "silent" : "ok", contacts, silentForSeconds };
}
