"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/text-field";
import { deleteTeam, errorMessage } from "./api";
import { useOrganisationChange } from "./use-organisation-change";

/**
 * Deleting the team, for its owners: its jobs and reports go with it (the audit log keeps
 * a record), so the dialog asks for the slug typed out, as GitHub does for a repository.
 */
export function DeleteTeam({ orgId, name, slug }: { orgId: string; name: string; slug: string }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useOrganisationChange();
  const mutation = useMutation({
    mutationFn: () => deleteTeam(orgId),
    onSuccess: () => change.go("/dashboard"),
  });

  function confirm() {
    if (typed.trim() !== slug) {
      setMismatch(true);
      return;
    }
    mutation.mutate();
  }

  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          mutation.reset();
          setTyped("");
          setMismatch(false);
          setOpen(true);
        }}
      >
        Delete this team…
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete ${name}?`}
        confirmLabel="Delete team"
        cancelLabel="Keep the team"
        pending={mutation.isPending || mutation.isSuccess}
        pendingLabel="Deleting…"
        error={mutation.isError ? errorMessage(mutation.error) : null}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>
          Its jobs and reports are deleted with it, for every member, and this can&apos;t be undone. Members go back to
          their personal workspaces.
        </p>
        <TextField
          name="confirm-slug"
          label={`Type ${slug} to confirm`}
          className="mt-4"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
            setMismatch(false);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              confirm();
            }
          }}
          error={mismatch ? `Type the team's slug, ${slug}, exactly.` : undefined}
        />
      </ConfirmDialog>
    </>
  );
}
