"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { isTerminal } from "@/lib/jobs/state";
import { pollInterval } from "@/lib/jobs/client/poll-interval";
import type { AuditPage } from "../audit";
import type { AdminJobView, DeadLetterPage } from "../dead-letters";
import { bulkReplay, fetchAdminJob, fetchAuditPage, fetchDeadLetters, replayJob, runCron } from "./api";
import { adminKeys, type DeadLetterListFilter } from "./keys";

/** Failed jobs matching `filter`, newest first; `firstPage` is what the server rendered. */
export function useDeadLetters(filter: DeadLetterListFilter, firstPage: DeadLetterPage) {
  return useInfiniteQuery({
    queryKey: adminKeys.deadLetterList(filter),
    queryFn: ({ pageParam, signal }) => fetchDeadLetters(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: { pages: [firstPage], pageParams: [null] },
  });
}

/** One job, polled (backing off like the job page) until it reaches a terminal state. */
export function useAdminJob(initial: AdminJobView) {
  const [watchingSince] = useState(() => Date.now());
  const query = useQuery({
    queryKey: adminKeys.job(initial.id),
    queryFn: ({ signal }) => fetchAdminJob(initial.id, signal),
    initialData: initial,
    staleTime: 0,
    refetchInterval: ({ state }) =>
      !state.data || isTerminal(state.data.status) ? false : pollInterval(state.dataUpdatedAt - watchingSince),
  });
  return { job: query.data, reconnecting: query.failureCount > 0 };
}

/** Replays one job; the lists and the job itself are stale afterwards. */
export function useReplayJob(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => replayJob(id),
    onSettled: () => client.invalidateQueries({ queryKey: adminKeys.all }),
  });
}

export function useBulkReplay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: bulkReplay,
    onSuccess: (answer) => {
      if (answer.kind === "replayed") void client.invalidateQueries({ queryKey: adminKeys.all });
    },
  });
}

export function useAuditLog(firstPage: AuditPage) {
  return useInfiniteQuery({
    queryKey: adminKeys.audit(),
    queryFn: ({ pageParam, signal }) => fetchAuditPage(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: { pages: [firstPage], pageParams: [null] },
  });
}

export function useRunCron(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => runCron(id),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.audit() }),
  });
}
