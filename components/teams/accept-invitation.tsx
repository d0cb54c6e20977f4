"use client";

import { useMutation } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { acceptInvitation, errorMessage } from "./api";
import { useOrganisationChange } from "./use-organisation-change";

/** "Accept invitation": joins the team, which becomes the current organisation, and opens its dashboard. */
export function AcceptInvitation({ token, teamName }: { token: string; teamName: string }) {
  const change = useOrganisationChange();
  const mutation = useMutation({
    mutationFn: () => acceptInvitation(token),
    onSuccess: () => change.go("/dashboard"),
  });

  return (
    <div className="space-y-4">
      {mutation.isError && <Alert tone="error">{errorMessage(mutation.error)}</Alert>}
      <Button
        className="w-full"
        pending={mutation.isPending || mutation.isSuccess}
        pendingLabel={`Joining ${teamName}…`}
        onClick={() => mutation.mutate()}
      >
        Accept invitation
      </Button>
    </div>
  );
}
