"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { MarkRead, NotificationList } from "../schemas";
import { fetchNotifications, markNotificationsRead } from "./api";
import { notificationKeys } from "./keys";
import { notificationPollInterval } from "./poll-interval";

/**
 * The signed-in user's notifications: fetched when the page loads, polled with a backoff
 * (notificationPollInterval, from the last change), refetched when the tab comes back into
 * view, and invalidated by whatever may have made one (a watched job ending, useJob).
 * One query for the whole app, so every component reading it shares one poll.
 */
export function useNotifications() {
  const changedAt = useRef(0);
  const query = useQuery({
    queryKey: notificationKeys.all,
    queryFn: ({ signal }) => fetchNotifications(signal),
    // Always stale, so coming back to the tab asks at once.
    staleTime: 0,
    refetchOnWindowFocus: true,
    refetchInterval: ({ state }) => notificationPollInterval(state.dataUpdatedAt - (changedAt.current || state.dataUpdatedAt)),
    refetchIntervalInBackground: false,
  });

  // Structural sharing keeps `data` the same object while nothing changed, so this runs
  // only when a notification came, went or was read: the backoff starts over.
  useEffect(() => {
    if (query.data) changedAt.current = query.dataUpdatedAt;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a change of data only, not of every fetch
  }, [query.data]);

  return query;
}

/** Marks notifications read, showing it at once and settling on what the server answers. */
export function useMarkNotificationsRead() {
  const client = useQueryClient();
  const queryKey = notificationKeys.all;
  return useMutation({
    mutationFn: (which: MarkRead) => markNotificationsRead(which),
    onMutate: async (which) => {
      // A poll sent before the change could land after it and show them unread again.
      await client.cancelQueries({ queryKey });
      const previous = client.getQueryData<NotificationList>(queryKey);
      if (previous) client.setQueryData<NotificationList>(queryKey, markedRead(previous, which));
      return { previous };
    },
    onError: (_error, _which, context) => {
      if (context?.previous) client.setQueryData(queryKey, context.previous);
    },
    onSettled: () => client.invalidateQueries({ queryKey }),
  });
}

function markedRead(list: NotificationList, which: MarkRead): NotificationList {
  const now = new Date().toISOString();
  const ids = "ids" in which ? new Set(which.ids) : null;
  let newlyRead = 0;
  const notifications = list.notifications.map((notification) => {
    if (notification.readAt || (ids && !ids.has(notification.id))) return notification;
    newlyRead += 1;
    return { ...notification, readAt: now };
  });
  return { unread: ids ? Math.max(0, list.unread - newlyRead) : 0, notifications };
}
