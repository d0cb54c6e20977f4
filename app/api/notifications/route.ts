import { route } from "@/lib/http/route";
import { listNotifications } from "@/lib/notifications/notifications";

/**
 * The caller's latest notifications and how many are unread: `{ unread, notifications }`.
 * A user's own, whatever organisation the page shows, so a tab left on another one still
 * rings its bell.
 */
export const GET = route({ allowStaleOrganisation: true }, async ({ supabase, service, user }) =>
  Response.json(await listNotifications(supabase, { userId: user.id, email: user.email }, service)),
);
