"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { HttpError } from "@/lib/http/errors";
import type { JobStatusView } from "@/lib/jobs/view";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Cancels a running job after the user confirms; the job page then shows it cancelled. */
export function CancelJobButton({
  cancel,
  onCancelled,
}: {
  cancel: UseMutationResult<JobStatusView, Error, void>;
  onCancelled: () => void;
}) {
  const [confirming, setConfirming] = useState(false);

  return (
    <>
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        Cancel report
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Cancel this report?"
        confirmLabel="Cancel report"
        cancelLabel="Keep running"
        pending={cancel.isPending}
        pendingLabel="Cancelling…"
        error={
          cancel.error &&
          (cancel.error instanceof HttpError
            ? cancel.error.message
            : "Couldn't cancel it. Try again.")
        }
        onConfirm={() => cancel.mutate(undefined, { onSuccess: onCancelled })}
        onClose={() => {
          cancel.reset();
          setConfirming(false);
        }}
      >
        Work done so far is discarded.
      </ConfirmDialog>
    </>
  );
}
