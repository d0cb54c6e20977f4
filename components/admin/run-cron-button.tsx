"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useRunCron } from "@/lib/admin/client/hooks";
import { HttpError } from "@/lib/http/errors";
import { Timestamp } from "@/components/ui/timestamp";

/**
 * Runs a cron now, then says which run it started: when, its event, and a link to the
 * function's runs where a runs page is known (a dev server; in Inngest Cloud, search the
 * event id). The page is refreshed so its "last run by hand" shows this one.
 */
export function RunCronButton({ cron, label, timeZone }: { cron: string; label: string; timeZone: string }) {
  const router = useRouter();
  const run = useRunCron(cron);
  return (
    <div className="flex flex-col items-end gap-1.5">
      <Button
        variant="secondary"
        pending={run.isPending}
        pendingLabel="Starting…"
        onClick={() => run.mutate(undefined, { onSuccess: () => router.refresh() })}
        aria-label={`Run now: ${label}`}
      >
        Run now
      </Button>
      <p role="status" className="max-w-xs text-right text-sm">
        {run.isSuccess && (
          <span className="text-emerald-700 dark:text-emerald-300">
            Started at <Timestamp iso={run.data.startedAt} timeZone={timeZone} />
            {run.data.eventId && (
              <>
                {" "}
                · event <code className="break-all">{run.data.eventId}</code>
              </>
            )}
            {run.data.runsUrl && (
              <>
                {" "}
                ·{" "}
                <a href={run.data.runsUrl} target="_blank" rel="noreferrer" className="font-medium underline">
                  See its run
                </a>
              </>
            )}
          </span>
        )}
        {run.isError && (
          <span className="text-red-700 dark:text-red-300">
            {run.error instanceof HttpError ? run.error.message : "Couldn't start it. Try again."}
          </span>
        )}
      </p>
    </div>
  );
}
