"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { isTerminal } from "../state";
import { fetchJobPage, type JobPage } from "./api";
import { jobKeys } from "./keys";

/** How often a list refreshes while something in it is still running. */
const LIST_POLL_MS = 5_000;

/**
 * The organisation's jobs (of one `type`, or all), newest first, a page at a time.
 * `firstPage` is what the server rendered.
 */
export function useJobList(type: string | undefined, firstPage: JobPage) {
  return useInfiniteQuery({
    queryKey: jobKeys.list(type),
    queryFn: ({ pageParam, signal }) => fetchJobPage({ type, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: { pages: [firstPage], pageParams: [null] },
    refetchInterval: ({ state }) =>
      state.data?.pages.some((page) => page.jobs.some((job) => !isTerminal(job.status)))
        ? LIST_POLL_MS
        : false,
  });
}
