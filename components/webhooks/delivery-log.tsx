"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "@/components/teams/api";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { textLinkClass } from "@/components/ui/text-link";
import { Timestamp } from "@/components/ui/timestamp";
import { pollInterval } from "@/lib/jobs/client/poll-interval";
import { Constants } from "@/lib/supabase/database.types";
import { fetchMessage, fetchMessages, replay, webhookKeys, type MessageFilters } from "./api";
import type { MessagesPage, WebhookMessage, WebhookMessageEventType, WebhookMessageStatus } from "./types";

type Props = { orgId: string; endpointId: string; timeZone: string; initial: MessagesPage };

const statuses = Constants.public.Enums.webhook_message_status;
const eventTypes = Constants.public.Enums.webhook_event_type;

const statusLabels: Record<WebhookMessageStatus, string> = {
  pending: "Pending",
  retrying: "Retrying",
  delivered: "Delivered",
  failed: "Failed",
  skipped: "Skipped",
};

const statusTones: Record<WebhookMessageStatus, string> = {
  pending: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200",
  retrying: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  delivered: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  skipped: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200",
};

const replayable = (message: WebhookMessage) => message.status === "failed" || message.status === "skipped";
const inFlight = (message: WebhookMessage) => message.status === "pending" || message.status === "retrying";

/**
 * An endpoint's delivery log: its messages newest first, filtered by status and event type,
 * each opening onto its attempts; replaying one, or every failure since a time. Polled
 * (with the job pages' backoff) while a message is still on its way.
 */
export function DeliveryLog({ orgId, endpointId, timeZone, initial }: Props) {
  const client = useQueryClient();
  const [filters, setFilters] = useState<MessageFilters>({});
  const [watchingSince, setWatchingSince] = useState(() => Date.now());
  const [news, setNews] = useState<string | null>(null);
  const unfiltered = !filters.status && !filters.eventType;
  const query = useInfiniteQuery({
    queryKey: webhookKeys.messages(orgId, endpointId, filters),
    queryFn: ({ pageParam, signal }) => fetchMessages(orgId, endpointId, { filters, before: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: unfiltered ? { pages: [initial], pageParams: [null] } : undefined,
    refetchInterval: ({ state }) =>
      state.data?.pages.some((page) => page.messages.some(inFlight)) ? pollInterval(state.dataUpdatedAt - watchingSince) : false,
  });
  const refresh = () => {
    setWatchingSince(Date.now());
    return client.invalidateQueries({ queryKey: webhookKeys.allMessages(orgId, endpointId) });
  };

  const replayOne = useMutation({
    mutationFn: (message: WebhookMessage) => replay(orgId, endpointId, { messageId: message.id }),
    onSuccess: () => {
      setNews("The message is on its way again.");
      void refresh();
    },
  });

  const messages = query.data?.pages.flatMap((page) => page.messages) ?? [];

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <SelectField
          name="status"
          label="Status"
          value={filters.status ?? ""}
          onChange={(event) => {
            const status = statuses.find((s) => s === event.target.value);
            setFilters((current) => ({ ...current, status }));
          }}
          options={[{ value: "", label: "Any status" }, ...statuses.map((s) => ({ value: s, label: statusLabels[s] }))]}
        />
        <SelectField
          name="eventType"
          label="Event"
          value={filters.eventType ?? ""}
          onChange={(event) => {
            const eventType: WebhookMessageEventType | undefined = eventTypes.find((t) => t === event.target.value);
            setFilters((current) => ({ ...current, eventType }));
          }}
          options={[{ value: "", label: "Any event" }, ...eventTypes.map((t) => ({ value: t, label: t }))]}
        />
        <Button variant="secondary" onClick={() => void refresh()} pending={query.isRefetching && !query.isFetchingNextPage} pendingLabel="Refreshing…">
          Refresh
        </Button>
      </div>

      <ReplaySince orgId={orgId} endpointId={endpointId} onReplayed={(count) => {
        setNews(count === 0 ? "Nothing to replay: no failed messages since then." : `${count} ${count === 1 ? "message is" : "messages are"} on their way again.`);
        void refresh();
      }} />

      <div aria-live="polite">{news && <Alert tone="success">{news}</Alert>}</div>
      {query.isError && <Alert tone="error">Couldn&apos;t load the delivery log: {errorMessage(query.error)}</Alert>}
      {replayOne.isError && <Alert tone="error">{errorMessage(replayOne.error)}</Alert>}

      {query.isPending ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400" aria-busy="true">
          Loading messages…
        </p>
      ) : messages.length === 0 ? (
        <EmptyState title={unfiltered ? "No messages yet" : "No messages match"}>
          {unfiltered ? "Send a test event, or wait for a job to end: each event shows here with its attempts." : "Try another status or event."}
        </EmptyState>
      ) : (
        <ul aria-label="Messages" className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {messages.map((message) => (
            <MessageItem
              key={message.id}
              orgId={orgId}
              endpointId={endpointId}
              message={message}
              timeZone={timeZone}
              replaying={replayOne.isPending && replayOne.variables.id === message.id}
              onReplay={() => {
                setNews(null);
                replayOne.mutate(message);
              }}
            />
          ))}
        </ul>
      )}
      {query.hasNextPage && (
        <Button variant="secondary" pending={query.isFetchingNextPage} pendingLabel="Loading…" onClick={() => void query.fetchNextPage()}>
          Show older messages
        </Button>
      )}
    </div>
  );
}

function MessageItem({
  orgId,
  endpointId,
  message,
  timeZone,
  replaying,
  onReplay,
}: {
  orgId: string;
  endpointId: string;
  message: WebhookMessage;
  timeZone: string;
  replaying: boolean;
  onReplay: () => void;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const detail = useQuery({
    // The message's state is part of the key, so opening it after a change reads it again.
    queryKey: [...webhookKeys.message(orgId, endpointId, message.id), message.status, message.attempts],
    queryFn: ({ signal }) => fetchMessage(orgId, endpointId, message.id, signal),
    enabled: open,
  });

  return (
    <li aria-label={`${message.eventType}, ${statusLabels[message.status]}`} className="py-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((value) => !value)}
          className="flex min-w-0 flex-wrap items-center gap-3 rounded text-left focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <span aria-hidden="true" className="text-zinc-500 dark:text-zinc-400">
            {open ? "▾" : "▸"}
          </span>
          <span className="font-mono text-sm text-zinc-900 dark:text-zinc-100">{message.eventType}</span>
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusTones[message.status]}`}>{statusLabels[message.status]}</span>
          <span className="text-sm text-zinc-600 dark:text-zinc-400">
            <Timestamp iso={message.createdAt} timeZone={timeZone} /> · {message.attempts} {message.attempts === 1 ? "attempt" : "attempts"}
            {message.lastStatusCode !== null && <> · last answer {message.lastStatusCode}</>}
          </span>
        </button>
        {replayable(message) && (
          <Button variant="secondary" pending={replaying} pendingLabel="Replaying…" onClick={onReplay}>
            Replay<span className="sr-only"> this message</span>
          </Button>
        )}
      </div>
      {open && (
        <div id={panelId} className="mt-3 space-y-3 pl-6 text-sm">
          <p className="text-zinc-600 dark:text-zinc-400">
            <span className="font-mono">webhook-id: {message.webhookId}</span>
            {message.replays > 0 && <> · replayed {message.replays} {message.replays === 1 ? "time" : "times"}</>}
            {message.nextAttemptAt && (
              <>
                {" "}· next attempt <Timestamp iso={message.nextAttemptAt} timeZone={timeZone} />
              </>
            )}
            {message.jobId && (
              <>
                {" "}·{" "}
                <Link href={`/dashboard/jobs/${message.jobId}`} className={textLinkClass}>
                  its job
                </Link>
              </>
            )}
          </p>
          {message.lastError && <p className="text-red-700 dark:text-red-300">{message.lastError}</p>}
          {detail.isPending ? (
            <p className="text-zinc-500 dark:text-zinc-400">Loading attempts…</p>
          ) : detail.isError ? (
            <Alert tone="error">Couldn&apos;t load the attempts: {errorMessage(detail.error)}</Alert>
          ) : detail.data.attempts.length === 0 ? (
            <p className="text-zinc-500 dark:text-zinc-400">No attempts yet.</p>
          ) : (
            <table className="w-full text-left">
              <caption className="sr-only">Attempts to deliver this message</caption>
              <thead className="text-xs text-zinc-500 uppercase dark:text-zinc-400">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">#</th>
                  <th scope="col" className="py-1 pr-3 font-medium">Time</th>
                  <th scope="col" className="py-1 pr-3 font-medium">Status</th>
                  <th scope="col" className="py-1 pr-3 font-medium">Latency</th>
                  <th scope="col" className="py-1 pr-3 font-medium">Outcome</th>
                  <th scope="col" className="py-1 font-medium">Response or error</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {detail.data.attempts.map((attempt) => (
                  <tr key={attempt.attempt} className="align-top">
                    <td className="py-1.5 pr-3">{attempt.attempt}</td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">
                      <Timestamp iso={attempt.startedAt} timeZone={timeZone} />
                    </td>
                    <td className="py-1.5 pr-3">{attempt.statusCode ?? "—"}</td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">{attempt.durationMs} ms</td>
                    <td className="py-1.5 pr-3">{attempt.outcome}</td>
                    <td className="py-1.5 font-mono text-xs break-all">{attempt.error ?? attempt.responseExcerpt ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {detail.data && (
            <details>
              <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Payload</summary>
              <pre className="mt-2 overflow-x-auto rounded-lg bg-zinc-50 p-3 text-xs dark:bg-zinc-950">{JSON.stringify(detail.data.message.payload, null, 2)}</pre>
            </details>
          )}
        </div>
      )}
    </li>
  );
}

/** "Replay all failed since": every failed or skipped message created since a local date and time. */
function ReplaySince({ orgId, endpointId, onReplayed }: { orgId: string; endpointId: string; onReplayed: (count: number) => void }) {
  const [since, setSince] = useState("");
  const [invalid, setInvalid] = useState(false);
  const mutation = useMutation({
    mutationFn: (iso: string) => replay(orgId, endpointId, { since: iso }),
    onSuccess: onReplayed,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const at = new Date(since);
    if (!since || Number.isNaN(at.getTime())) {
      setInvalid(true);
      return;
    }
    mutation.mutate(at.toISOString());
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Replay failed messages" className="flex flex-wrap items-start gap-4">
      <TextField
        name="since"
        type="datetime-local"
        label="Replay every failed message since"
        value={since}
        onChange={(event) => {
          setSince(event.target.value);
          setInvalid(false);
        }}
        error={invalid ? "Choose a date and time." : mutation.isError ? errorMessage(mutation.error) : undefined}
      />
      <Button type="submit" variant="secondary" pending={mutation.isPending} pendingLabel="Replaying…" className="sm:mt-7">
        Replay failed
      </Button>
    </form>
  );
}
