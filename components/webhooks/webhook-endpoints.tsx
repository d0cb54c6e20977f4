"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { errorMessage, fieldError } from "@/components/teams/api";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { TextField } from "@/components/ui/text-field";
import { textLinkClass } from "@/components/ui/text-link";
import { Timestamp } from "@/components/ui/timestamp";
import { HttpError } from "@/lib/http/errors";
import { WEBHOOK_EVENT_TYPES, webhookEventTypeLabels, type WebhookEventType } from "@/lib/webhooks/event-types";
import { createEndpoint, deleteEndpoint, fetchEndpoints, rotateSecret, sendTestEvent, updateEndpoint, webhookKeys } from "./api";
import { SecretReveal } from "./secret-reveal";
import type { WebhookEndpoint } from "./types";

type Props = { orgId: string; timeZone: string; initial: WebhookEndpoint[] };

/** A secret on screen: for which endpoint, and whether it replaced one (which signs a while longer). */
type Revealed = { endpointId: string; secret: string; previousExpiresAt: string | null };

/**
 * The organisation's webhook endpoints: adding one (its signing secret shown once), and for
 * each, turning it off and on, sending a test event, rotating its secret and deleting it.
 */
export function WebhookEndpoints({ orgId, timeZone, initial }: Props) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: webhookKeys.endpoints(orgId),
    queryFn: ({ signal }) => fetchEndpoints(orgId, signal),
    initialData: initial,
  });
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [news, setNews] = useState<{ endpointId: string; text: string; messageId?: string } | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: webhookKeys.endpoints(orgId) });
  const replace = (endpoint: WebhookEndpoint) =>
    client.setQueryData<WebhookEndpoint[]>(webhookKeys.endpoints(orgId), (list) => list?.map((e) => (e.id === endpoint.id ? endpoint : e)));

  const add = useMutation({
    mutationFn: (body: { url: string; description: string; eventTypes: WebhookEventType[] }) => createEndpoint(orgId, body),
    onSuccess: ({ endpoint, secret }) => {
      client.setQueryData<WebhookEndpoint[]>(webhookKeys.endpoints(orgId), (list) => [...(list ?? []), endpoint]);
      setRevealed({ endpointId: endpoint.id, secret, previousExpiresAt: null });
      setNews(null);
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => updateEndpoint(orgId, endpoint.id, { enabled: !endpoint.enabled }),
    onSuccess: (endpoint) => {
      replace(endpoint);
      setNews({ endpointId: endpoint.id, text: endpoint.enabled ? "Turned on: events are sent again." : "Turned off: no events are sent until you turn it on." });
    },
  });
  const test = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => sendTestEvent(orgId, endpoint.id),
    onSuccess: (messageId, endpoint) => setNews({ endpointId: endpoint.id, text: "Test event sent.", messageId }),
  });
  const rotate = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => rotateSecret(orgId, endpoint.id),
    onSuccess: ({ secret, previousExpiresAt }, endpoint) => {
      setRevealed({ endpointId: endpoint.id, secret, previousExpiresAt });
      setNews(null);
    },
  });
  const remove = useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => deleteEndpoint(orgId, endpoint.id),
    onSuccess: (_, endpoint) => {
      client.setQueryData<WebhookEndpoint[]>(webhookKeys.endpoints(orgId), (list) => list?.filter((e) => e.id !== endpoint.id));
      setDeleting(null);
      if (revealed?.endpointId === endpoint.id) setRevealed(null);
      void refresh();
    },
  });

  const endpoints = query.data;
  const errorFor = (endpoint: WebhookEndpoint) =>
    [toggle, test, rotate].find((mutation) => mutation.isError && mutation.variables?.id === endpoint.id)?.error ?? null;

  return (
    <div className="space-y-8">
      <AddEndpointForm pending={add.isPending} error={add.isError ? add.error : null} onSubmit={(body, added) => add.mutate(body, { onSuccess: added })} />
      {query.isError && <Alert tone="error">Couldn&apos;t refresh the endpoints: {errorMessage(query.error)}</Alert>}

      <div>
        <h3 className="text-sm font-medium text-zinc-900 dark:text-zinc-100">Endpoints</h3>
        {endpoints.length === 0 ? (
          <EmptyState title="No endpoints yet">Add one above: we&apos;ll POST a signed JSON message to it whenever a job ends.</EmptyState>
        ) : (
          <ul className="mt-2 divide-y divide-zinc-200 dark:divide-zinc-800">
            {endpoints.map((endpoint) => {
              const error = errorFor(endpoint);
              const busy = (mutation: { isPending: boolean; variables?: WebhookEndpoint }) =>
                mutation.isPending && mutation.variables?.id === endpoint.id;
              return (
                <li key={endpoint.id} aria-label={endpoint.url} className="space-y-3 py-5">
                  <div className="flex flex-wrap items-start justify-between gap-4">
                    <div className="min-w-0">
                      <p className="font-mono text-sm break-all text-zinc-900 dark:text-zinc-100">{endpoint.url}</p>
                      {endpoint.description && <p className="text-sm text-zinc-600 dark:text-zinc-400">{endpoint.description}</p>}
                      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
                        {endpoint.eventTypes.join(", ")} · <EndpointState endpoint={endpoint} timeZone={timeZone} />
                      </p>
                      <Link href={`/dashboard/webhooks/${endpoint.id}`} className={`text-sm font-medium ${textLinkClass}`}>
                        Delivery log<span className="sr-only"> for {endpoint.url}</span>
                      </Link>
                    </div>
                    <div className="flex flex-wrap gap-2">
                      <Button variant="secondary" pending={busy(test)} pendingLabel="Sending…" onClick={() => test.mutate(endpoint)}>
                        Send test event
                      </Button>
                      <Button variant="secondary" pending={busy(toggle)} pendingLabel="Saving…" onClick={() => toggle.mutate(endpoint)}>
                        {endpoint.enabled ? "Turn off" : "Turn on"}
                      </Button>
                      <Button variant="ghost" pending={busy(rotate)} pendingLabel="Rotating…" onClick={() => rotate.mutate(endpoint)}>
                        Rotate secret
                      </Button>
                      <Button
                        variant="ghost"
                        onClick={() => {
                          remove.reset();
                          setDeleting(endpoint);
                        }}
                      >
                        Delete…
                      </Button>
                    </div>
                  </div>
                  <div aria-live="polite">
                    {news?.endpointId === endpoint.id && (
                      <Alert tone="success">
                        {news.text}{" "}
                        {news.messageId && (
                          <Link href={`/dashboard/webhooks/${endpoint.id}`} className="font-medium underline">
                            See it in the delivery log
                          </Link>
                        )}
                      </Alert>
                    )}
                  </div>
                  {revealed?.endpointId === endpoint.id && (
                    <SecretReveal
                      secret={revealed.secret}
                      previousExpiresAt={revealed.previousExpiresAt}
                      timeZone={timeZone}
                      onDone={() => setRevealed(null)}
                    />
                  )}
                  {error && (
                    <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                      {errorMessage(error)}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        cancelLabel="Keep it"
        pending={remove.isPending}
        pendingLabel="Deleting…"
        error={remove.isError ? errorMessage(remove.error) : null}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      >
        <p>
          {deleting?.url} stops receiving events at once, and its delivery log is deleted with it. This can&apos;t be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function EndpointState({ endpoint, timeZone }: { endpoint: WebhookEndpoint; timeZone: string }) {
  if (!endpoint.enabled) {
    return (
      <span className="font-medium text-amber-700 dark:text-amber-300">
        {endpoint.disabledReason === "failing" ? "Turned off after days of failed deliveries" : "Off"}
      </span>
    );
  }
  if (endpoint.failingSince) {
    return (
      <span className="font-medium text-amber-700 dark:text-amber-300">
        Failing since <Timestamp iso={endpoint.failingSince} timeZone={timeZone} />
      </span>
    );
  }
  return endpoint.lastDeliveredAt ? (
    <>
      On · last delivered <Timestamp iso={endpoint.lastDeliveredAt} timeZone={timeZone} />
    </>
  ) : (
    <>On</>
  );
}

function AddEndpointForm({
  pending,
  error,
  onSubmit,
}: {
  pending: boolean;
  error: Error | null;
  /** `added` runs once the endpoint is registered. */
  onSubmit: (body: { url: string; description: string; eventTypes: WebhookEventType[] }, added: () => void) => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES]);

  // A refused endpoint focuses the field in error, whose message is read with it.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const urlError = fieldError(error, "url", ["unsafe_url"]);
  const descriptionError = fieldError(error, "description");
  // `eventTypes.0`: the API names the one entry it refused.
  const eventsError =
    error instanceof HttpError
      ? Object.entries(error.fields ?? {}).find(([field]) => field === "eventTypes" || field.startsWith("eventTypes."))?.[1]
      : undefined;
  const placed = urlError !== undefined || descriptionError !== undefined || eventsError !== undefined;
  const formError = error && !placed ? errorMessage(error) : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit({ url, description, eventTypes }, () => {
      setUrl("");
      setDescription("");
    });
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label="Add an endpoint" className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="url"
          label="Endpoint URL"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://example.com/webhooks/offload"
          required
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          error={urlError}
          hint="We POST each event here, signed with the endpoint's secret."
        />
        <TextField
          name="description"
          label="Description (optional)"
          autoComplete="off"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          error={descriptionError}
        />
      </div>
      <fieldset aria-describedby={eventsError ? "webhook-events-error" : undefined}>
        <legend className="text-sm font-medium text-zinc-900 dark:text-zinc-100">Events to send</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm text-zinc-700 dark:text-zinc-300">
              <input
                type="checkbox"
                name="eventTypes"
                value={type}
                checked={eventTypes.includes(type)}
                aria-invalid={eventsError ? true : undefined}
                onChange={(event) =>
                  setEventTypes((chosen) =>
                    event.target.checked ? WEBHOOK_EVENT_TYPES.filter((t) => t === type || chosen.includes(t)) : chosen.filter((t) => t !== type),
                  )
                }
                className="mt-0.5 size-4 rounded border-zinc-300 text-brand-600 focus:ring-brand-600"
              />
              <span>
                <span className="font-mono">{type}</span> — {webhookEventTypeLabels[type]}
              </span>
            </label>
          ))}
        </div>
        {eventsError && (
          <p id="webhook-events-error" className="mt-1.5 text-sm text-red-600 dark:text-red-400">
            {eventsError}
          </p>
        )}
      </fieldset>
      <Button type="submit" pending={pending} pendingLabel="Adding…">
        Add endpoint
      </Button>
    </form>
  );
}
