"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { Membership } from "@/lib/auth/viewer";
import { setPageOrganisation } from "@/lib/http/client";
import { errorMessage, switchOrganisation } from "./api";
import { roleLabels } from "./roles";
import { useOrganisationChange } from "./use-organisation-change";

type Props = { current: Membership; memberships: Membership[] };

/** Below the button: anchored to it from `sm` up, across the screen (1rem in) on a phone. */
const panelPlacement = "absolute inset-x-4 z-20 mt-1 sm:inset-x-auto sm:top-full sm:left-0 sm:w-72";

/**
 * The header's organisation switcher: a disclosure (a button that shows a list), with the
 * viewer's organisations and their role in each, and a way to make a team. The choice is
 * saved on the server (PUT /api/organisations/current), so it follows the user across
 * devices; then the page is rendered again for the new organisation.
 */
export function OrganisationSwitcher({ current, memberships }: Props) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const headingId = useId();
  const change = useOrganisationChange();
  const mutation = useMutation({
    mutationFn: switchOrganisation,
    onSuccess: (organisation) => {
      // What this page sends while it is rendered again (the refetches) is for the new one.
      setPageOrganisation(organisation.id);
      setOpen(false);
      change.go();
    },
  });
  const busy = mutation.isPending || change.pending;

  // A click anywhere else closes it, as focus moving elsewhere does.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!open) return;
    if (event.key === "Escape") {
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
      return;
    }
    // Arrows move through the list and its link, as in a menu; Tab works as well.
    const items = [...(panelRef.current?.querySelectorAll<HTMLElement>("button, a") ?? [])];
    const at = items.findIndex((item) => item === document.activeElement);
    const next = { ArrowDown: at + 1, ArrowUp: at < 0 ? items.length - 1 : at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined || items.length === 0) return;
    event.preventDefault();
    items[(next + items.length) % items.length]?.focus();
  }

  function choose(orgId: string) {
    if (orgId === current.organisation.id) {
      setOpen(false);
      buttonRef.current?.focus();
      return;
    }
    mutation.mutate(orgId);
  }

  return (
    <div
      ref={rootRef}
      // On a phone the panel spans the screen (less a margin) instead of hanging off the
      // button, which sits too far right for it: unpositioned there, the panel takes the
      // page's width and stays, vertically, where it falls below the button.
      className="sm:relative"
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!(event.relatedTarget instanceof Node) || !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        disabled={busy}
        onClick={() => {
          mutation.reset();
          setOpen((isOpen) => !isOpen);
        }}
        className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm font-medium text-zinc-700 dark:text-zinc-300 hover:bg-zinc-100 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400 disabled:opacity-60"
      >
        <span className="sr-only">Organisation: </span>
        {current.organisation.name}
        <span className="sr-only">{busy ? " (switching…)" : ", switch organisation"}</span>
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4 text-zinc-400">
          <path
            fillRule="evenodd"
            d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
            clipRule="evenodd"
          />
        </svg>
      </button>
      {mutation.isError && (
        <p role="alert" className={`${panelPlacement} rounded-lg bg-red-50 dark:bg-red-950 p-2 text-sm text-red-800 dark:text-red-200 ring-1 ring-red-200 dark:ring-red-900`}>
          Couldn&apos;t switch: {errorMessage(mutation.error)}
        </p>
      )}
      <div
        ref={panelRef}
        id={panelId}
        hidden={!open}
        className={`${panelPlacement} rounded-xl bg-white dark:bg-zinc-900 p-2 shadow-lg ring-1 ring-zinc-200 dark:ring-zinc-800`}
      >
        <p id={headingId} className="px-2 pt-1 pb-2 text-xs font-medium text-zinc-500 dark:text-zinc-400">
          Switch organisation
        </p>
        <ul aria-labelledby={headingId} className="space-y-0.5">
          {memberships.map(({ organisation, role }) => {
            const isCurrent = organisation.id === current.organisation.id;
            return (
              <li key={organisation.id}>
                <button
                  type="button"
                  aria-current={isCurrent ? "true" : undefined}
                  onClick={() => choose(organisation.id)}
                  className="flex w-full items-center justify-between gap-3 rounded-lg px-2 py-2 text-left text-sm text-zinc-900 dark:text-zinc-100 hover:bg-zinc-100 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400 aria-[current]:font-semibold"
                >
                  <span className="truncate">{organisation.name}</span>
                  <span className="shrink-0 text-xs font-normal text-zinc-500 dark:text-zinc-400">
                    {organisation.personal ? "Personal" : roleLabels[role]}
                    {isCurrent && <span className="sr-only">, current</span>}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        <div className="mt-2 border-t border-zinc-200 dark:border-zinc-800 pt-2">
          <Link
            href="/dashboard/teams/new"
            onClick={() => setOpen(false)}
            className="block rounded-lg px-2 py-2 text-sm font-medium text-brand-600 dark:text-brand-300 hover:bg-zinc-100 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400"
          >
            Create a team
          </Link>
        </div>
      </div>
    </div>
  );
}
