import { api } from "@/lib/http/client";
import { notificationListSchema, unreadCountSchema, type MarkRead, type NotificationList } from "../schemas";

/** The browser's side of /api/notifications; refusals are thrown as lib/http/client's errors. */

export function fetchNotifications(signal?: AbortSignal): Promise<NotificationList> {
  return api("/api/notifications", notificationListSchema, { signal });
}

export async function markNotificationsRead(which: MarkRead): Promise<number> {
  const { unread } = await api("/api/notifications/read", unreadCountSchema, { method: "POST", json: which });
  return unread;
}
