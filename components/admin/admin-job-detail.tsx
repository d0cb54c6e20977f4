"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { JobStatusBadge } from "@/components/jobs/job-status-badge";
import { Button } from "@/components/ui/button";
import type { AdminJobView } from "@/lib/admin/dead-letters";
import { useAdminJob, useReplayJob } from "@/lib/admin/client/hooks";
import { HttpError } from "@/lib/http/errors";
import { RunLink } from "./run-link";
import { Timestamp } from "@/components/ui/timestamp";
import { textLinkClass } from "@/components/ui/text-link";

/**
 * One job as an operator needs it: the real error, attempts, the failure times, the
 * payload (secrets redacted), where it came from and what replaced it. Polls while the job
 * runs, so a replay can be watched to the end; a failed job can be replayed from here.
 */
export function AdminJobDetail({ initial, timeZone }: { initial: AdminJobView; timeZone: string }) {
  const { job, reconnecting } = useAdminJob(initial);
  const replay = useReplayJob(job.id);
  const [confirming, setConfirming] = useState(false);
  const router = useRouter();
  const time = (iso: string | null) => <Timestamp iso={iso} timeZone={timeZone} />;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb">
        <ol className="flex flex-wrap items-center gap-1.5 text-sm font-medium">
          <li>
            <Link href="/admin/dead-letters" className={textLinkClass}>
              Dead letters
            </Link>
          </li>
          {job.replayOf && (
            <>
              <li aria-hidden="true" className="text-zinc-400 dark:text-zinc-500">/</li>
              <li>
                <Link href={`/admin/dead-letters/${job.replayOf}`} className={textLinkClass}>
                  Failed job
                </Link>
              </li>
              <li aria-hidden="true" className="text-zinc-400 dark:text-zinc-500">/</li>
              <li aria-current="page" className="text-zinc-700 dark:text-zinc-300">
                Its replay
              </li>
            </>
          )}
        </ol>
      </nav>

      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="font-mono text-2xl font-semibold tracking-tight">{job.type}</h1>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            {job.orgName ?? job.orgId}
            {job.userEmail && ` · ${job.userEmail}`}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <p role="status" aria-live="polite">
            <span className="sr-only">Status: </span>
            <JobStatusBadge status={job.status} progress={job.progress} />
          </p>
          {job.replayBlocker === null && (
            <Button onClick={() => setConfirming(true)}>Replay</Button>
          )}
        </div>
      </div>

      {job.replayOf && (
        <section aria-labelledby="replay-of" className="rounded-2xl bg-brand-50 dark:bg-brand-950 p-6 ring-1 ring-brand-100 dark:ring-brand-900">
          <h2 id="replay-of" className="font-semibold text-zinc-900 dark:text-zinc-100">
            Replay of a failed job
          </h2>
          <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
            A new job that sends the failed job&apos;s event again. The failed job stays as it was, as history.{" "}
            <Link href={`/admin/dead-letters/${job.replayOf}`} className="font-medium text-brand-700 dark:text-brand-300 hover:underline">
              See the failed job
            </Link>
          </p>
        </section>
      )}

      {reconnecting && (
        <p className="text-sm text-amber-700 dark:text-amber-300">Can&apos;t reach the server; what you see may be out of date.</p>
      )}

      {job.error && (
        <section aria-labelledby="job-error" className="rounded-2xl bg-red-50 dark:bg-red-950 p-6 ring-1 ring-red-200 dark:ring-red-900">
          <h2 id="job-error" className="font-semibold text-red-900 dark:text-red-100">
            Error
          </h2>
          <pre className="mt-2 font-mono text-sm break-words whitespace-pre-wrap text-red-900 dark:text-red-100">{job.error}</pre>
        </section>
      )}

      <section aria-labelledby="job-facts" className="rounded-2xl bg-white dark:bg-zinc-900 p-6 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
        <h2 id="job-facts" className="font-semibold">
          Details
        </h2>
        <dl className="mt-4 grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2">
          <Fact term="Attempts">
            {job.attempt} of {job.maxAttempts}
          </Fact>
          <Fact term="Event">{job.eventName ? <code>{job.eventName}</code> : "Not recorded"}</Fact>
          <Fact term="Run">{job.runId ? <RunLink runId={job.runId} url={job.runUrl} /> : "Not started"}</Fact>
          <Fact term="Created">{time(job.createdAt)}</Fact>
          <Fact term="Started">{time(job.startedAt)}</Fact>
          <Fact term="First failure">{time(job.firstFailedAt)}</Fact>
          <Fact term="Last failure">{time(job.failedAt)}</Fact>
          {job.completedAt && <Fact term="Completed">{time(job.completedAt)}</Fact>}
          {job.cancelledAt && <Fact term="Cancelled">{time(job.cancelledAt)}</Fact>}
          {/* Only a dead letter has a replay (or can get one); on any other job it is no news. */}
          {(job.status === "failed" || job.replayedAt) && (
            <Fact term="Replay">
              {job.replayId ? (
                <Link href={`/admin/dead-letters/${job.replayId}`} className="font-medium text-brand-700 dark:text-brand-300 hover:underline">
                  See the replay
                </Link>
              ) : job.replayedAt ? (
                <>Replayed {time(job.replayedAt)}; the replay has since been cleaned up</>
              ) : (
                (job.replayBlocker ?? "Not replayed yet")
              )}
            </Fact>
          )}
        </dl>
      </section>

      <section aria-labelledby="job-payload" className="rounded-2xl bg-white dark:bg-zinc-900 p-6 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
        <h2 id="job-payload" className="font-semibold">
          Payload
        </h2>
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">What the job was asked to do. Secrets are redacted.</p>
        <pre className="mt-4 overflow-x-auto rounded-lg bg-zinc-50 dark:bg-zinc-950 p-4 font-mono text-sm text-zinc-800 dark:text-zinc-200 ring-1 ring-zinc-200 dark:ring-zinc-800">
          {JSON.stringify(job.payload, null, 2)}
        </pre>
      </section>

      <ConfirmDialog
        open={confirming}
        title="Replay this job?"
        confirmLabel="Replay job"
        cancelLabel="Don't replay"
        pending={replay.isPending}
        pendingLabel="Replaying…"
        error={replay.error && (replay.error instanceof HttpError ? replay.error.message : "Couldn't replay it. Try again.")}
        onConfirm={() =>
          replay.mutate(undefined, {
            onSuccess: ({ replayId }) => {
              setConfirming(false);
              router.push(`/admin/dead-letters/${replayId}`);
            },
          })
        }
        onClose={() => {
          replay.reset();
          setConfirming(false);
        }}
      >
        {job.eventName ? (
          <>
            Sends <code>{job.eventName}</code> again with this job&apos;s payload, as a new job. This one stays failed, and
            the replay is recorded in the audit log.
          </>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-zinc-500 dark:text-zinc-400">{term}</dt>
      <dd className="mt-0.5 text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}
