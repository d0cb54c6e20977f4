"use client";

import { Button } from "@/components/ui/button";
import { useRunCron } from "@/lib/admin/client/hooks";
import { HttpError } from "@/lib/http/errors";

/** Runs a cron now; the run itself is in Inngest (the devstack's runs page locally). */
export function RunCronButton({ cron, label }: { cron: string; label: string }) {
  const run = useRunCron(cron);
  return (
    <div className="flex flex-col items-end gap-1.5">
      <Button variant="secondary" pending={run.isPending} pendingLabel="Starting…" onClick={() => run.mutate()} aria-label={`Run now: ${label}`}>
        Run now
      </Button>
      <p role="status" className="text-sm">
        {run.isSuccess && <span className="text-emerald-700 dark:text-emerald-300">Started. It runs in the background.</span>}
        {run.isError && (
          <span className="text-red-700 dark:text-red-300">
            {run.error instanceof HttpError ? run.error.message : "Couldn't start it. Try again."}
          </span>
        )}
      </p>
    </div>
  );
}
