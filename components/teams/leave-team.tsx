"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { errorMessage, removeMember } from "./api";
import { useOrganisationChange } from "./use-organisation-change";

/** Leaving: the viewer's own membership. The last owner is refused (the API says so). */
export function LeaveTeam({ orgId, viewerId, teamName }: { orgId: string; viewerId: string; teamName: string }) {
  const [open, setOpen] = useState(false);
  const change = useOrganisationChange();
  const mutation = useMutation({
    mutationFn: () => removeMember(orgId, viewerId),
    // The database has moved them back to their personal workspace.
    onSuccess: () => change.go("/dashboard"),
  });

  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          mutation.reset();
          setOpen(true);
        }}
      >
        Leave {teamName}
      </Button>
      <ConfirmDialog
        open={open}
        title={`Leave ${teamName}?`}
        confirmLabel="Leave team"
        cancelLabel="Stay"
        pending={mutation.isPending || mutation.isSuccess}
        pendingLabel="Leaving…"
        error={mutation.isError ? errorMessage(mutation.error) : null}
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      >
        You lose access to its jobs and reports, and go back to your personal workspace. To come back, someone has to
        invite you again.
      </ConfirmDialog>
    </>
  );
}
