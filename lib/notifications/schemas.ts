import { z } from "zod";
import { Constants } from "@/lib/supabase/database.types";

/** At most this many ids in one mark-read request: the bell shows 20 at a time. */
export const MAX_READ_IDS = 100;

/** How many notifications the bell lists: the latest ones. */
export const NOTIFICATION_PAGE_SIZE = 20;

const kindSchema = z.enum(Constants.public.Enums.notification_kind);
const roleSchema = z.enum(Constants.public.Enums.membership_role);
const jobStatusSchema = z.enum(Constants.public.Enums.job_status);

/** One notification as GET /api/notifications answers it. */
export const notificationSchema = z.object({
  id: z.string(),
  kind: kindSchema,
  createdAt: z.string(),
  readAt: z.string().nullable(),
  /** The job it is about (job.completed, job.failed), while the user may still see it. */
  job: z
    .object({
      id: z.string(),
      type: z.string(),
      status: jobStatusSchema,
      label: z.string(),
      /** A team invitation's address, when its email could not be sent and the user still manages it. */
      invitationEmail: z.string().nullable(),
    })
    .optional(),
  /** The invitation it is about (invitation.received). */
  invitation: z
    .object({
      orgName: z.string(),
      role: roleSchema,
      /** Who sent it: their name, else their address; null when they are gone. */
      inviterName: z.string().nullable(),
      expired: z.boolean(),
    })
    .optional(),
});

export type Notification = z.output<typeof notificationSchema>;

export const notificationListSchema = z.object({
  unread: z.number().int().min(0),
  notifications: z.array(notificationSchema),
});

export type NotificationList = z.output<typeof notificationListSchema>;

export const unreadCountSchema = z.object({ unread: z.number().int().min(0) });

// Bodies ------------------------------------------------------------------------------

/**
 * POST /api/notifications/read: some of the caller's notifications by id, or all of them.
 * One object with either field rather than a union, so a bad id is told against `ids`.
 */
export const markReadSchema = z
  .object({
    ids: z
      .array(z.uuid({ error: "Send notification ids." }), { error: "Send the ids as an array." })
      .min(1, "Send at least one id.")
      .max(MAX_READ_IDS, `Send at most ${MAX_READ_IDS} ids.`)
      .optional(),
    all: z.literal(true, { error: "Send all: true to mark every notification read." }).optional(),
  })
  .strict()
  .refine((body) => (body.ids === undefined) !== (body.all === undefined), {
    error: "Send either { ids: [...] } or { all: true }.",
  })
  .transform((body): MarkRead => (body.ids ? { ids: body.ids } : { all: true }));

export type MarkRead = { ids: string[] } | { all: true };
