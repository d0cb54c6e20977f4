/** The one query behind the bell, app-wide: anything that may have made a notification invalidates it. */
export const notificationKeys = {
  all: ["notifications"] as const,
};
