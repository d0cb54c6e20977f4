"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { shortDateTimeFormat } from "@/components/ui/timestamp";
import { HttpError } from "@/lib/http/errors";
import { jobPagePath } from "@/lib/jobs/client/paths";
import { useMarkNotificationsRead, useNotifications } from "@/lib/notifications/client/use-notifications";
import type { Notification } from "@/lib/notifications/schemas";

/** Below the button, right-aligned with it from `sm` up; across the screen (1rem in) on a phone. */
const panelPlacement = "absolute inset-x-4 z-20 mt-1 sm:inset-x-auto sm:top-full sm:right-0 sm:w-96";

const focusRing = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400";

const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");

/** What a notification says, as one sentence. */
export function notificationText(notification: Notification): string {
  const { job, invitation } = notification;
  if (job) {
    const what = job.label.toLowerCase();
    if (notification.kind === "job.completed") return `Your ${what} is ready`;
    if (job.type === "team-invitation") {
      return job.invitationEmail
        ? `The invitation email to ${job.invitationEmail} could not be sent`
        : "An invitation email could not be sent";
    }
    return `Your ${what} failed`;
  }
  if (invitation) {
    const who = invitation.inviterName ?? "Someone";
    const role = invitation.role;
    const invited = `${who} invited you to join ${invitation.orgName} as ${article(role)} ${role}`;
    return invitation.expired
      ? `${invited}, but the invitation has expired: ask them to invite you again`
      : `${invited}: open the link in the email we sent`;
  }
  return "You were invited to join a team: open the link in the email we sent";
}

function buttonLabel(unread: number | undefined, failed: boolean): string {
  if (unread === undefined) return failed ? "Notifications (couldn't load)" : "Notifications";
  return unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;
}

function loadErrorMessage(error: Error): string {
  return error instanceof HttpError ? error.message : "Couldn't reach the server. Check your connection and try again.";
}

/**
 * The header's bell: the unread count, and a disclosure panel with the latest
 * notifications. Following one to its job marks it read; "Mark all read" marks the rest.
 */
export function NotificationBell({ timeZone }: { timeZone: string }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const headingId = useId();
  const query = useNotifications();
  const markRead = useMarkNotificationsRead();
  const unread = query.data?.unread;
  const format = shortDateTimeFormat(timeZone);

  // A click anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!open || event.key !== "Escape") return;
    event.stopPropagation();
    setOpen(false);
    buttonRef.current?.focus();
  }

  return (
    <div ref={rootRef} className="sm:relative" onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={buttonLabel(unread, query.isError)}
        onClick={() => setOpen((isOpen) => !isOpen)}
        className={`relative inline-flex items-center rounded-md p-1.5 text-zinc-600 dark:text-zinc-300 hover:bg-zinc-100 dark:hover:bg-zinc-800 hover:text-zinc-900 dark:hover:text-white ${focusRing}`}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
          <path
            fillRule="evenodd"
            d="M10 2a6 6 0 0 0-6 6c0 1.887-.454 3.665-1.257 5.234a.75.75 0 0 0 .515 1.076 32.91 32.91 0 0 0 3.256.508 3.5 3.5 0 0 0 6.972 0 32.903 32.903 0 0 0 3.256-.508.75.75 0 0 0 .515-1.076A11.448 11.448 0 0 1 16 8a6 6 0 0 0-6-6ZM8.05 14.943a33.54 33.54 0 0 0 3.9 0 2 2 0 0 1-3.9 0Z"
            clipRule="evenodd"
          />
        </svg>
        {unread !== undefined && unread > 0 && (
          <span
            aria-hidden="true"
            className="absolute -top-1 -right-1 min-w-5 rounded-full bg-brand-600 px-1.5 text-center text-xs leading-5 font-semibold text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      <section
        id={panelId}
        hidden={!open}
        aria-labelledby={headingId}
        className={`${panelPlacement} rounded-xl bg-white dark:bg-zinc-900 p-2 shadow-lg ring-1 ring-zinc-200 dark:ring-zinc-800`}
      >
        <div className="flex items-center justify-between gap-3 px-2 pt-1 pb-2">
          <h2 id={headingId} className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
            Notifications
          </h2>
          {unread !== undefined && unread > 0 && (
            <button
              type="button"
              onClick={() => markRead.mutate({ all: true })}
              className={`rounded text-sm font-medium text-brand-600 dark:text-brand-300 hover:text-brand-700 dark:hover:text-brand-200 ${focusRing}`}
            >
              Mark all read
            </button>
          )}
        </div>
        {markRead.isError && (
          <p role="alert" className="mx-2 mb-2 rounded-lg bg-red-50 dark:bg-red-950 p-2 text-sm text-red-800 dark:text-red-200">
            Couldn&apos;t mark them read: {loadErrorMessage(markRead.error)}
          </p>
        )}
        {query.isError && (
          <div role="alert" className="mx-2 mb-2 rounded-lg bg-red-50 dark:bg-red-950 p-2 text-sm text-red-800 dark:text-red-200">
            <p>
              {query.data ? "These may be out of date. " : "Couldn't load your notifications. "}
              {loadErrorMessage(query.error)}
            </p>
            <button
              type="button"
              onClick={() => void query.refetch()}
              className={`mt-1 rounded font-medium underline ${focusRing}`}
            >
              Try again
            </button>
          </div>
        )}
        {query.isPending && <p className="px-2 py-3 text-sm text-zinc-500 dark:text-zinc-400">Loading…</p>}
        {query.data && query.data.notifications.length === 0 && (
          <p className="px-2 py-3 text-sm text-zinc-500 dark:text-zinc-400">
            Nothing yet. When a report is ready or someone invites you to a team, it shows here.
          </p>
        )}
        {query.data && query.data.notifications.length > 0 && (
          <ul className="max-h-96 space-y-0.5 overflow-y-auto">
            {query.data.notifications.map((notification) => {
              const text = notificationText(notification);
              const unreadItem = notification.readAt === null;
              const time = (
                <time dateTime={notification.createdAt} suppressHydrationWarning className="block text-xs text-zinc-500 dark:text-zinc-400">
                  {format.format(new Date(notification.createdAt))}
                </time>
              );
              const itemClass = `block w-full rounded-lg px-2 py-2 text-left text-sm text-zinc-900 dark:text-zinc-100 ${unreadItem ? "font-medium" : "text-zinc-600 dark:text-zinc-400"}`;
              const dot = unreadItem && (
                <>
                  <span aria-hidden="true" className="mr-1.5 inline-block size-2 rounded-full bg-brand-600 align-middle" />
                  <span className="sr-only">Unread: </span>
                </>
              );
              return (
                <li key={notification.id}>
                  {notification.job ? (
                    <Link
                      href={jobPagePath(notification.job)}
                      onClick={() => {
                        if (unreadItem) markRead.mutate({ ids: [notification.id] });
                        setOpen(false);
                      }}
                      className={`${itemClass} hover:bg-zinc-100 dark:hover:bg-zinc-800 ${focusRing}`}
                    >
                      {dot}
                      {text}
                      {time}
                    </Link>
                  ) : (
                    <div className={`${itemClass} flex items-start justify-between gap-3`}>
                      <div>
                        {dot}
                        {text}
                        {time}
                      </div>
                      {unreadItem && (
                        <button
                          type="button"
                          onClick={() => markRead.mutate({ ids: [notification.id] })}
                          className={`shrink-0 rounded text-xs font-medium text-brand-600 dark:text-brand-300 hover:text-brand-700 ${focusRing}`}
                        >
                          Mark read
                        </button>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
