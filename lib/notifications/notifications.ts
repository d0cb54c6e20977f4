import { z } from "zod";
import { jobTypeLabel, jobTypes } from "@/lib/jobs/registry";
import type { Db } from "@/lib/supabase/db";
import { profilesOf } from "@/lib/teams/members";
import {
  NOTIFICATION_PAGE_SIZE,
  notificationSchema,
  type MarkRead,
  type Notification,
  type NotificationList,
} from "./schemas";

/**
 * The bell's data. Notifications are written by database triggers alone (a report that
 * ended, an invitation email that could not go, an invitation to one's address); users
 * read their own and set `read_at`, through row-level security.
 */

export class NotificationsError extends Error {
  constructor(action: string, cause: { message: string }) {
    super(`Could not ${action}: ${cause.message}`, { cause });
    this.name = "NotificationsError";
  }
}

type Viewer = { userId: string; email: string };

/** What an invitation-job's payload carries that we read: which invitation it sent. */
const invitationPayloadSchema = z.looseObject({ invitationId: z.uuid() });

/**
 * The latest notifications of the signed-in user and how many of all theirs are unread.
 * `db` acts as the user (RLS keeps it to their own rows and the jobs they may see).
 *
 * An invitation's team is not the invitee's to read (invitations are visible to the
 * team's owners and admins only), so `service` reads it, for the invitations named by
 * the user's own notifications alone, and only while the invitation is still addressed to
 * them. Made on first need: most users have no invitation waiting.
 */
export async function listNotifications(db: Db, viewer: Viewer, service: () => Db): Promise<NotificationList> {
  const [list, unread] = await Promise.all([
    db
      .from("notifications")
      .select("id, kind, created_at, read_at, invitation_id, job:jobs(id, type, status, payload)")
      .eq("user_id", viewer.userId)
      .order("created_at", { ascending: false })
      .order("id", { ascending: false })
      .limit(NOTIFICATION_PAGE_SIZE),
    countUnread(db, viewer),
  ]);
  if (list.error) throw new NotificationsError("read the notifications", list.error);

  const invitationJobs = new Map<string, string>();
  for (const row of list.data) {
    if (row.job?.type !== jobTypes["team-invitation"].type) continue;
    const payload = invitationPayloadSchema.safeParse(row.job.payload);
    if (payload.success) invitationJobs.set(row.job.id, payload.data.invitationId);
  }
  const invitationIds = list.data.flatMap((row) => (row.invitation_id ? [row.invitation_id] : []));
  const [sentTo, received] = await Promise.all([
    invitationAddresses(db, [...invitationJobs.values()]),
    invitationIds.length > 0 ? receivedInvitations(service(), viewer, invitationIds) : new Map<string, ReceivedInvitation>(),
  ]);

  const notifications = list.data.map((row): Notification => {
    const base = { id: row.id, kind: row.kind, createdAt: row.created_at, readAt: row.read_at };
    if (row.job) {
      const invitationId = invitationJobs.get(row.job.id);
      return notificationSchema.parse({
        ...base,
        job: {
          id: row.job.id,
          type: row.job.type,
          status: row.job.status,
          label: jobTypeLabel(row.job.type),
          invitationEmail: (invitationId && sentTo.get(invitationId)) ?? null,
        },
      });
    }
    const invitation = row.invitation_id ? received.get(row.invitation_id) : undefined;
    return notificationSchema.parse(invitation ? { ...base, invitation } : base);
  });
  return { unread, notifications };
}

/** How many of the user's notifications are unread. */
export async function countUnread(db: Db, viewer: Pick<Viewer, "userId">): Promise<number> {
  const { count, error } = await db
    .from("notifications")
    .select("id", { count: "exact", head: true })
    .eq("user_id", viewer.userId)
    .is("read_at", null);
  if (error) throw new NotificationsError("count the unread notifications", error);
  return count ?? 0;
}

/**
 * Marks the user's notifications read: those with the ids given (ids of anyone else's
 * match nothing, through RLS and the user filter), or all. Already-read ones keep when
 * they were read. Answers how many stay unread.
 */
export async function markNotificationsRead(db: Db, viewer: Pick<Viewer, "userId">, which: MarkRead): Promise<number> {
  let update = db
    .from("notifications")
    .update({ read_at: new Date().toISOString() })
    .eq("user_id", viewer.userId)
    .is("read_at", null);
  if ("ids" in which) update = update.in("id", which.ids);
  const { error } = await update;
  if (error) throw new NotificationsError("mark the notifications read", error);
  return countUnread(db, viewer);
}

/** The addresses of the invitations the user may see (as an owner or admin of the team). */
async function invitationAddresses(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { data, error } = await db.from("invitations").select("id, email").in("id", ids);
  if (error) throw new NotificationsError("read the invitations", error);
  return new Map(data.map((row) => [row.id, row.email]));
}

type ReceivedInvitation = NonNullable<Notification["invitation"]>;

const organisationNameSchema = z.object({ name: z.string() });

/**
 * The team, role and sender of invitations sent to the viewer, with the service role.
 * `ids` come from the viewer's own notifications; an invitation no longer addressed to the
 * viewer's current address (they changed it since) is left out, as the link wouldn't work.
 */
async function receivedInvitations(service: Db, viewer: Viewer, ids: string[]): Promise<Map<string, ReceivedInvitation>> {
  const { data, error } = await service
    .from("invitations")
    .select("id, email, role, invited_by, expires_at, accepted_at, organisation:organisations(name)")
    .in("id", ids)
    .eq("email", viewer.email.toLowerCase())
    .is("accepted_at", null);
  if (error) throw new NotificationsError("read the invitations", error);
  const inviterIds = data.flatMap((row) => (row.invited_by ? [row.invited_by] : []));
  const inviters = inviterIds.length > 0 ? await profilesOf(service, inviterIds) : new Map<string, { displayName: string }>();
  const now = Date.now();
  return new Map(
    data.map((row) => [
      row.id,
      {
        orgName: organisationNameSchema.parse(row.organisation).name,
        role: row.role,
        inviterName: (row.invited_by && inviters.get(row.invited_by)?.displayName) || null,
        expired: Date.parse(row.expires_at) <= now,
      },
    ]),
  );
}
