"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { api, onOrganisationChanged, OrganisationChangedError, setPageOrganisation } from "@/lib/http/client";
import { useOrganisationChange } from "./use-organisation-change";

type Props = { orgId: string };

type Notice =
  /** A request from this page was refused: it shows `pageOrgId`, the user now works in `current`. */
  | { kind: "refused"; pageOrgId: string; message: string; current: { id: string; name: string } | null }
  /** The page followed a switch made elsewhere when it came back into view. */
  | { kind: "followed"; orgId: string; name: string };

/**
 * Tells the API client which organisation this page was rendered for, so a tab left open on
 * one team can't act in another the user switched to elsewhere (the API answers 409
 * `organisation_changed`); shows that refusal with a way to reload, and, when the tab comes
 * back into view after such a switch, renders the page again for the new organisation.
 */
export function PageOrganisation({ orgId }: Props) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const change = useOrganisationChange();
  const client = useQueryClient();
  const probing = useRef(false);

  // Before any effect of the page's components (their queries) sends a request.
  useLayoutEffect(() => {
    setPageOrganisation(orgId);
    return () => setPageOrganisation(null);
  }, [orgId]);

  function reload(current: { id: string } | null) {
    // Requests made while the page is rendered again (the refetches) are for the new one.
    setPageOrganisation(current?.id ?? null);
    change.go();
  }
  useEffect(
    () =>
      onOrganisationChanged((error) => {
        if (!probing.current) setNotice({ kind: "refused", pageOrgId: orgId, message: error.message, current: error.organisation });
      }),
    [orgId],
  );

  // Queries refused while the page still showed the old organisation are fetched again for this one.
  useEffect(() => {
    void client.refetchQueries({ predicate: (query) => query.state.error instanceof OrganisationChangedError });
  }, [client, orgId]);

  // Coming back to a tab: if the organisation was switched elsewhere, follow it (any
  // signed-in endpoint checks the page's organisation first; the profile is a small answer).
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState !== "visible" || probing.current) return;
      probing.current = true;
      api("/api/profile", z.unknown())
        .catch((error: unknown) => {
          if (error instanceof OrganisationChangedError && error.organisation) {
            setNotice({ kind: "followed", orgId: error.organisation.id, name: error.organisation.name });
            setPageOrganisation(error.organisation.id);
            change.go();
          }
          // Anything else (offline, signed out) is for the page's own requests to tell.
        })
        .finally(() => {
          probing.current = false;
        });
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [change]);

  const refused = notice?.kind === "refused" && notice.pageOrgId === orgId ? notice : null;
  const followed = notice?.kind === "followed" && notice.orgId === orgId ? notice : null;

  return (
    // Always there, so what it says later is announced.
    <div aria-live="polite" className="sticky top-0 z-30">
      {refused && (
        <div className="border-b border-amber-200 dark:border-amber-900 bg-amber-50 dark:bg-amber-950 text-amber-900 dark:text-amber-100">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-6 py-3 text-sm">
            <p>{refused.message}</p>
            <Button
              variant="secondary"
              // Not disabled while it works: focus stays on it.
              aria-disabled={change.pending || undefined}
              onClick={() => !change.pending && reload(refused.current)}
            >
              {change.pending ? "Reloading…" : "Reload"}
            </Button>
          </div>
        </div>
      )}
      {followed && (
        <div className="border-b border-zinc-200 dark:border-zinc-800 bg-zinc-50 dark:bg-zinc-900 text-zinc-800 dark:text-zinc-200">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-6 py-3 text-sm">
            <p>
              This page now shows {followed.name}: you switched to it in another tab or on another device.
            </p>
            <Button variant="ghost" onClick={() => setNotice(null)}>
              Dismiss
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
