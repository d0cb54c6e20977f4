"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { JobStatusView } from "@/lib/jobs/view";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

type EmailOfferProps = {
  job: JobStatusView;
  email: string;
  /** How long a job runs before we offer to email instead of making the user wait. */
  offerAfterSeconds: number;
  now: number | null;
  notify: UseMutationResult<JobStatusView, Error, boolean>;
};

const failure = "Couldn't change that. Try again.";

/**
 * "Email me when it's ready", for a job still running. Offered once it has run
 * `offerAfterSeconds`, and worded as an offer until accepted; once on, it says where the
 * email goes ("We'll email you at …") and can be undone.
 */
export function EmailOffer({ job, email, offerAfterSeconds, now, notify }: EmailOfferProps) {
  const [confirming, setConfirming] = useState(false);
  const offerRef = useRef<HTMLButtonElement>(null);
  const undoRef = useRef<HTMLButtonElement>(null);
  const changedByUser = useRef(false);

  useEffect(() => {
    // The button the user pressed is replaced by the other state's: keep their focus here.
    if (!changedByUser.current) return;
    changedByUser.current = false;
    (job.notifyByEmail ? undoRef : offerRef).current?.focus();
  }, [job.notifyByEmail]);

  function change(notifyByEmail: boolean) {
    // Set before the request: the cache (and so this component) updates before onSuccess runs.
    changedByUser.current = true;
    notify.mutate(notifyByEmail, {
      onSuccess: () => setConfirming(false),
      onError: () => {
        changedByUser.current = false;
      },
    });
  }

  const runningFor = now === null ? 0 : (now - Date.parse(job.createdAt)) / 1000;
  const offered = !job.notifyByEmail && now !== null && runningFor >= offerAfterSeconds;

  return (
    <>
      {/* One live region for both states, so turning it on or off is announced. */}
      <div aria-live="polite">
        {job.notifyByEmail && (
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg bg-brand-50 dark:bg-brand-950 p-4 text-sm text-zinc-900 dark:text-zinc-100">
            <p>
              We&apos;ll email you at <strong className="font-semibold">{email}</strong> when
              it&apos;s ready.
            </p>
            <Button
              ref={undoRef}
              variant="ghost"
              className="-my-1.5 px-2 py-1.5"
              pending={notify.isPending}
              pendingLabel="Undoing…"
              onClick={() => change(false)}
            >
              Undo
            </Button>
            {notify.isError && <p className="w-full text-red-700 dark:text-red-300">{failure}</p>}
          </div>
        )}
        {offered && (
          <div className="flex flex-wrap items-center justify-between gap-4 rounded-lg bg-brand-50 dark:bg-brand-950 p-4 text-sm text-zinc-900 dark:text-zinc-100">
            <p className="max-w-md">
              This is taking a while. Want an email when it&apos;s ready? Then you can leave this
              page.
            </p>
            <Button ref={offerRef} variant="secondary" onClick={() => setConfirming(true)}>
              Email me when it&apos;s ready
            </Button>
          </div>
        )}
      </div>
      {!job.notifyByEmail && (
        <ConfirmDialog
          open={confirming}
          title="Email you when it's ready?"
          confirmLabel="Email me"
          cancelLabel="Not now"
          pending={notify.isPending}
          pendingLabel="Saving…"
          error={notify.isError ? failure : null}
          onConfirm={() => change(true)}
          onClose={() => {
            notify.reset();
            setConfirming(false);
          }}
        >
          We&apos;ll send a link to <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{email}</strong>
          . You can close this page; the report keeps running.
        </ConfirmDialog>
      )}
    </>
  );
}
