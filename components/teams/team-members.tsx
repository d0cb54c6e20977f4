"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { shortDateTimeFormat } from "@/components/ui/timestamp";
import { changeRole, errorMessage, fetchMembers, removeMember, teamKeys } from "./api";
import { canManage, manageableRoles, roleLabels } from "./roles";
import type { Member, Role } from "./types";

type Props = {
  orgId: string;
  teamName: string;
  viewerId: string;
  viewerRole: Role;
  timeZone: string;
  /** What the server rendered. */
  initial: Member[];
};

/**
 * The team's members, with their roles. Owners and admins change the roles they may
 * manage and remove those members; the database decides, so a refusal (the last owner,
 * say) is shown as the API words it.
 */
export function TeamMembers({ orgId, teamName, viewerId, viewerRole, timeZone, initial }: Props) {
  const query = useQuery({
    queryKey: teamKeys.members(orgId),
    queryFn: ({ signal }) => fetchMembers(orgId, signal),
    initialData: initial,
  });
  const [news, setNews] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (member: Member) => removeMember(orgId, member.userId),
    onSuccess: (_, member) => {
      setRemoving(null);
      setNews(`${member.displayName} is no longer in ${teamName}.`);
      client.setQueryData<Member[]>(teamKeys.members(orgId), (members) => members?.filter((m) => m.userId !== member.userId));
      void client.invalidateQueries({ queryKey: teamKeys.members(orgId) });
    },
  });

  const members = query.data;

  return (
    <div className="space-y-4">
      {/* Always there, so what it says later is announced. */}
      <div aria-live="polite">{news && <Alert tone="success">{news}</Alert>}</div>
      {query.isError && <Alert tone="error">Couldn&apos;t refresh the members: {errorMessage(query.error)}</Alert>}
      {members.length === 0 ? (
        <EmptyState title="No members">Nobody is in this team any more.</EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {members.map((member) => (
            <MemberRow
              key={member.userId}
              orgId={orgId}
              member={member}
              isViewer={member.userId === viewerId}
              viewerRole={viewerRole}
              timeZone={timeZone}
              onRemove={() => {
                remove.reset();
                setRemoving(member);
              }}
              onChanged={(text) => setNews(text)}
            />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.displayName ?? ""}?`}
        confirmLabel="Remove"
        cancelLabel="Keep"
        pending={remove.isPending}
        pendingLabel="Removing…"
        error={remove.isError ? errorMessage(remove.error) : null}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
      >
        {removing?.displayName} ({removing?.email}) loses access to {teamName}&apos;s jobs and reports at once. You can
        invite them again later.
      </ConfirmDialog>
    </div>
  );
}

function MemberRow({
  orgId,
  member,
  isViewer,
  viewerRole,
  timeZone,
  onRemove,
  onChanged,
}: {
  orgId: string;
  member: Member;
  isViewer: boolean;
  viewerRole: Role;
  timeZone: string;
  onRemove: () => void;
  onChanged: (news: string) => void;
}) {
  const client = useQueryClient();
  const selectId = useId();
  const errorId = useId();
  // The role chosen in the select, saved only by "Change role": a keyboard user looks
  // through the options with the arrow keys, which change a closed select's value.
  const [chosen, setChosen] = useState<Role>(member.role);
  const [confirmingOwner, setConfirmingOwner] = useState(false);
  // The role changed elsewhere (a refetch): the select shows the new one.
  const [saved, setSaved] = useState<Role>(member.role);
  if (saved !== member.role) {
    setSaved(member.role);
    setChosen(member.role);
  }
  const mutation = useMutation({
    mutationFn: (role: Role) => changeRole(orgId, member.userId, role),
    onSuccess: (updated) => {
      setConfirmingOwner(false);
      client.setQueryData<Member[]>(teamKeys.members(orgId), (members) =>
        members?.map((m) => (m.userId === updated.userId ? updated : m)),
      );
      onChanged(`${updated.displayName} is now ${roleLabels[updated.role].toLowerCase()}.`);
    },
  });
  // Your own role and leaving are elsewhere on the page; the others only if you may manage them.
  const manageable = !isViewer && canManage(viewerRole, member.role);
  const options = manageableRoles(viewerRole);
  const unchanged = chosen === member.role;
  // Neither control is disabled while it saves, so focus stays where it is; input is ignored instead.
  const busy = mutation.isPending;

  function save() {
    if (busy || unchanged) return;
    // Making someone an owner hands them the whole team, you included: asked once more.
    if (chosen === "owner") setConfirmingOwner(true);
    else mutation.mutate(chosen);
  }

  return (
    <li className="flex flex-wrap items-center justify-between gap-4 py-4">
      <div className="min-w-0">
        <p className="truncate font-medium text-zinc-900 dark:text-zinc-100">
          {member.displayName}
          {isViewer && <span className="ml-1 text-sm font-normal text-zinc-500 dark:text-zinc-400"> (you)</span>}
        </p>
        <p className="truncate text-sm text-zinc-500 dark:text-zinc-400">
          {member.email !== member.displayName && <>{member.email} · </>}
          Joined{" "}
          <time dateTime={member.joinedAt} suppressHydrationWarning>
            {shortDateTimeFormat(timeZone).format(new Date(member.joinedAt))}
          </time>
        </p>
        {mutation.isError && !confirmingOwner && (
          <p id={errorId} role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
            {errorMessage(mutation.error)}
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        {manageable ? (
          <>
            <label htmlFor={selectId} className="sr-only">
              Role of {member.displayName}
            </label>
            <select
              id={selectId}
              value={chosen}
              aria-disabled={busy || undefined}
              aria-describedby={mutation.isError ? errorId : undefined}
              onChange={(event) => {
                const next = options.find((r) => r === event.target.value);
                if (next && !busy) {
                  mutation.reset();
                  setChosen(next);
                }
              }}
              className="rounded-lg border-0 bg-white dark:bg-zinc-900 py-1.5 pr-8 pl-3 text-sm text-zinc-900 dark:text-zinc-100 shadow-sm ring-1 ring-zinc-300 dark:ring-zinc-700 ring-inset focus:ring-2 focus:ring-brand-600 dark:focus:ring-brand-400 focus:outline-none aria-disabled:opacity-60"
            >
              {options.map((option) => (
                <option key={option} value={option}>
                  {roleLabels[option]}
                </option>
              ))}
            </select>
            <Button
              variant="secondary"
              aria-label={`Change ${member.displayName}'s role`}
              aria-disabled={busy || unchanged || undefined}
              onClick={save}
              className="aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
            >
              {busy && !confirmingOwner ? "Changing…" : "Change role"}
            </Button>
            <Button variant="secondary" onClick={onRemove} aria-label={`Remove ${member.displayName}`}>
              Remove
            </Button>
          </>
        ) : (
          <span className="rounded-full bg-zinc-100 dark:bg-zinc-800 px-2.5 py-0.5 text-xs font-medium text-zinc-700 dark:text-zinc-300">
            {roleLabels[member.role]}
          </span>
        )}
      </div>
      <ConfirmDialog
        open={confirmingOwner}
        title={`Make ${member.displayName} an owner?`}
        confirmLabel="Make owner"
        cancelLabel="Cancel"
        pending={busy}
        pendingLabel="Changing…"
        error={mutation.isError ? errorMessage(mutation.error) : null}
        onConfirm={() => mutation.mutate("owner")}
        onClose={() => setConfirmingOwner(false)}
      >
        Owners can do everything, including changing the role of other owners, removing them and deleting the team.
      </ConfirmDialog>
    </li>
  );
}
