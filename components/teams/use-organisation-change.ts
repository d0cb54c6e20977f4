"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useTransition } from "react";
import { setPageOrganisation } from "@/lib/http/client";

/** A job's or report's own page: it belongs to one organisation. */
const organisationItemPage = /^\/dashboard\/(jobs|reports)\/[^/]+$/;

/**
 * What follows a change of the organisation the viewer acts in (a switch, creating or
 * joining a team, leaving or deleting one): everything cached was the old organisation's,
 * and every server-rendered page too. `go(path)` drops the cache, then shows `path` (or,
 * without one, this page again, unless it is one job's page: that job stays behind).
 * `pending` lasts until the new page is on screen.
 */
export function useOrganisationChange() {
  const client = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();

  function go(path?: string) {
    // Reset rather than invalidate: lists would otherwise show the old organisation's rows
    // until their refetch answers. Active queries refetch, for the new organisation.
    // The refetches are for the page about to be rendered, not for the organisation this one showed.
    setPageOrganisation(null);
    void client.resetQueries();
    const destination = path ?? (organisationItemPage.test(pathname) ? pathname.replace(/\/[^/]+$/, "") : null);
    startTransition(() => {
      if (destination && destination !== pathname) router.push(destination);
      // The layout (header, switcher) stays across the navigation and is rendered on the server.
      router.refresh();
    });
  }

  return { go, pending };
}
