"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { notificationKeys } from "@/lib/notifications/client/keys";
import { isTerminal } from "../state";
import type { JobStatusView } from "../view";
import { cancelJob, fetchJob, setNotifyByEmail, type PolledJob } from "./api";
import { jobKeys } from "./keys";
import { pollInterval } from "./poll-interval";

/**
 * One job, polled until it reaches a terminal state. `initial` is what the server
 * rendered, so the page shows the job at once and the first poll can already answer 304.
 */
export function useJob(initial: PolledJob) {
  const { id } = initial.job;
  const client = useQueryClient();
  const [watchingSince] = useState(() => Date.now());

  const query = useQuery({
    queryKey: jobKeys.detail(id),
    queryFn: ({ queryKey, signal }) =>
      fetchJob(id, client.getQueryData<PolledJob>(queryKey), signal),
    initialData: initial,
    // Always stale, so returning to the tab polls at once instead of at the next tick.
    staleTime: 0,
    // Timed from the last answer, not from now: the page re-renders every second (its clock)
    // and TanStack restarts the timer whenever this value changes, which would delay polls.
    refetchInterval: ({ state }) =>
      !state.data || isTerminal(state.data.job.status)
        ? false
        : pollInterval(state.dataUpdatedAt - watchingSince),
    // Nobody reads a hidden tab: don't poll it (the default, stated because it matters).
    refetchIntervalInBackground: false,
  });

  const { status } = query.data.job;
  // Whether this page saw the job running: only then can its end be news to the bell.
  const sawRunning = useRef(false);
  useEffect(() => {
    if (!isTerminal(status)) {
      sawRunning.current = true;
      return;
    }
    // Lists show this job's status too; they reload when next shown.
    void client.invalidateQueries({ queryKey: jobKeys.lists() });
    // Its end may have rung the bell (a report ready or failed): ask now, not at the next poll.
    if (sawRunning.current) void client.invalidateQueries({ queryKey: notificationKeys.all });
  }, [client, status]);

  return {
    job: query.data.job,
    // Polls keep failing (offline, server down): what's shown may be out of date.
    reconnecting: query.failureCount > 0,
  };
}

/** Cancelling and "email me", each writing the job they answer with into the cache. */
export function useJobActions(id: string) {
  const client = useQueryClient();
  const queryKey = jobKeys.detail(id);

  async function store(job: JobStatusView) {
    // A poll sent before the change could land after it and show the old state.
    await client.cancelQueries({ queryKey });
    client.setQueryData<PolledJob>(queryKey, { job, etag: null });
    void client.invalidateQueries({ queryKey: jobKeys.lists() });
  }

  // Whatever the refusal (typically: it finished meanwhile), show the job as it is now.
  const refresh = () => client.invalidateQueries({ queryKey });

  return {
    cancel: useMutation({ mutationFn: () => cancelJob(id), onSuccess: store, onError: refresh }),
    notify: useMutation({
      mutationFn: (notifyByEmail: boolean) => setNotifyByEmail(id, notifyByEmail),
      onSuccess: store,
      onError: refresh,
    }),
  };
}
