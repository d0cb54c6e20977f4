import { route } from "@/lib/http/route";
import { markNotificationsRead } from "@/lib/notifications/notifications";
import { markReadSchema } from "@/lib/notifications/schemas";

/**
 * Marks the caller's notifications read, `{ ids }` or `{ all: true }`: `{ unread }` after.
 * Notifications are the user's, not an organisation's, so a page showing another one may
 * still mark them.
 */
export const POST = route({ body: markReadSchema, allowStaleOrganisation: true }, async ({ supabase, user, body }) =>
  Response.json({ unread: await markNotificationsRead(supabase, { userId: user.id }, body) }),
);
