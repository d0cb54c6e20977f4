"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { textLinkClass } from "@/components/ui/text-link";
import { shortDateTimeFormat } from "@/components/ui/timestamp";
import { pollInterval } from "@/lib/jobs/client/poll-interval";
import { errorMessage, fetchInvitations, fieldError, invite, revokeInvitation, teamKeys } from "./api";
import { manageableRoles, roleDescriptions, roleLabels } from "./roles";
import type { Invitation, Role } from "./types";

type Props = {
  orgId: string;
  teamName: string;
  viewerRole: Role;
  timeZone: string;
  initial: Invitation[];
};

/**
 * Inviting people by email, and the invitations still waiting: re-send one (a new link,
 * seven days again; the old link stops working) or revoke it. For owners and admins only,
 * as the database has it.
 */
export function TeamInvitations({ orgId, teamName, viewerRole, timeZone, initial }: Props) {
  const client = useQueryClient();
  // Polled while an email is on its way, with the job pages' backoff, so "sent" or
  // "couldn't be sent" shows without a reload.
  const [watchingSince] = useState(() => Date.now());
  const query = useQuery({
    queryKey: teamKeys.invitations(orgId),
    queryFn: ({ signal }) => fetchInvitations(orgId, signal),
    initialData: initial,
    refetchInterval: ({ state }) =>
      state.data?.some((invitation) => invitation.delivery?.status !== "sent" && invitation.delivery?.status !== "failed")
        ? pollInterval(state.dataUpdatedAt - watchingSince)
        : false,
  });
  const [news, setNews] = useState<string | null>(null);
  const invitations = query.data;
  const refresh = () => client.invalidateQueries({ queryKey: teamKeys.invitations(orgId) });

  const send = useMutation({
    // `from`: "form", or the id of the invitation whose "Re-send" it is: its progress and errors show there.
    mutationFn: ({ email, role }: { email: string; role: Role; from: string }) => invite(orgId, { email, role }),
    onSuccess: (invitation, { email }) => {
      const replaced = invitations.some((pending) => pending.email === invitation.email || pending.email === email);
      setNews(
        replaced
          ? `A new invitation is on its way to ${invitation.email}. The link sent before no longer works.`
          : `An invitation to join ${teamName} is on its way to ${invitation.email}.`,
      );
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (invitation: Invitation) => revokeInvitation(orgId, invitation.id),
    onSuccess: (_, invitation) => {
      setNews(`The invitation to ${invitation.email} was revoked: its link no longer works.`);
      client.setQueryData<Invitation[]>(teamKeys.invitations(orgId), (list) => list?.filter((i) => i.id !== invitation.id));
      void refresh();
    },
  });

  return (
    <div className="space-y-6">
      <InviteForm
        roles={manageableRoles(viewerRole)}
        pending={send.isPending && send.variables.from === "form"}
        error={send.isError && send.variables.from === "form" ? send.error : null}
        onSubmit={(body, sent) => {
          setNews(null);
          send.mutate({ ...body, from: "form" }, { onSuccess: sent });
        }}
      />
      <div aria-live="polite">{news && <Alert tone="success">{news}</Alert>}</div>
      {query.isError && <Alert tone="error">Couldn&apos;t refresh the invitations: {errorMessage(query.error)}</Alert>}

      <div>
        <h3 className="text-sm font-medium text-zinc-900 dark:text-zinc-100">Pending invitations</h3>
        {invitations.length === 0 ? (
          <EmptyState title="No pending invitations">
            Invite someone above: they get an email with a link that works for seven days.
          </EmptyState>
        ) : (
          <ul className="mt-2 divide-y divide-zinc-200 dark:divide-zinc-800">
            {invitations.map((invitation) => {
              const resending = send.isPending && send.variables.from === invitation.id;
              const revoking = revoke.isPending && revoke.variables.id === invitation.id;
              const error =
                send.isError && send.variables.from === invitation.id
                  ? send.error
                  : revoke.isError && revoke.variables.id === invitation.id
                    ? revoke.error
                    : null;
              const mayManage = manageableRoles(viewerRole).includes(invitation.role);
              return (
                <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-4 py-4">
                  <div className="min-w-0">
                    <p className="truncate font-medium text-zinc-900 dark:text-zinc-100">{invitation.email}</p>
                    <p className="text-sm text-zinc-500 dark:text-zinc-400">
                      {roleLabels[invitation.role]}
                      {invitation.invitedBy && <> · invited by {invitation.invitedBy}</>} ·{" "}
                      {invitation.expired ? (
                        <span className="font-medium text-amber-700 dark:text-amber-300">
                          Expired{" "}
                          <time dateTime={invitation.expiresAt} suppressHydrationWarning>
                            {shortDateTimeFormat(timeZone).format(new Date(invitation.expiresAt))}
                          </time>
                        </span>
                      ) : (
                        <>
                          Expires{" "}
                          <time dateTime={invitation.expiresAt} suppressHydrationWarning>
                            {shortDateTimeFormat(timeZone).format(new Date(invitation.expiresAt))}
                          </time>
                        </>
                      )}
                    </p>
                    <DeliveryStatus delivery={invitation.delivery} />
                    {error && (
                      <p role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
                        {errorMessage(error)}
                      </p>
                    )}
                  </div>
                  {mayManage && (
                    <div className="flex gap-3">
                      <Button
                        variant="secondary"
                        pending={resending}
                        pendingLabel="Sending…"
                        disabled={revoking}
                        aria-label={`Re-send the invitation to ${invitation.email}`}
                        onClick={() => {
                          setNews(null);
                          send.mutate({ email: invitation.email, role: invitation.role, from: invitation.id });
                        }}
                      >
                        Re-send
                      </Button>
                      <Button
                        variant="ghost"
                        pending={revoking}
                        pendingLabel="Revoking…"
                        disabled={resending}
                        aria-label={`Revoke the invitation to ${invitation.email}`}
                        onClick={() => {
                          setNews(null);
                          revoke.mutate(invitation);
                        }}
                      >
                        Revoke
                      </Button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

function InviteForm({
  roles,
  pending,
  error,
  onSubmit,
}: {
  roles: Role[];
  pending: boolean;
  error: Error | null;
  /** `sent` runs once the invitation is on its way. */
  onSubmit: (body: { email: string; role: Role }, sent: () => void) => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");

  // A refused invitation focuses the field in error, whose message is read with it.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const emailError = fieldError(error, "email", ["already_member"]);
  const roleError = fieldError(error, "role");
  const placed = emailError !== undefined || roleError !== undefined;
  const formError = error && !placed ? errorMessage(error) : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Sent: the address is emptied for the next one.
    onSubmit({ email, role }, () => setEmail(""));
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-4">
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="off"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={emailError}
        />
        <SelectField
          name="role"
          label="Role"
          value={role}
          onChange={(event) => setRole(roles.find((r) => r === event.target.value) ?? "member")}
          options={roles.map((r) => ({ value: r, label: roleLabels[r] }))}
          error={roleError}
        />
        <Button type="submit" pending={pending} pendingLabel="Sending…" className="sm:mt-7">
          Send invitation
        </Button>
      </div>
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        {roleLabels[role]}: {roleDescriptions[role]}.
      </p>
    </form>
  );
}

/** Where the invitation's email is: on its way, sent, or not sent (with its job, and what to do). */
function DeliveryStatus({ delivery }: { delivery: Invitation["delivery"] }) {
  if (delivery?.status === "sent") return <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Email sent</p>;
  if (delivery?.status === "failed") {
    return (
      <p className="mt-1 text-sm text-red-600 dark:text-red-400">
        The email couldn&apos;t be sent (
        <Link href={`/dashboard/jobs/${delivery.jobId}`} className={textLinkClass}>
          see why
        </Link>
        ). Re-send to try again.
      </p>
    );
  }
  return <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Sending the email…</p>;
}
