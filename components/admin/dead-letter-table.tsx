"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { AdminJobView, DeadLetterPage } from "@/lib/admin/dead-letters";
import { deadLetterHref, type DeadLetterFormValues } from "@/lib/admin/dead-letter-params";
import { useDeadLetters } from "@/lib/admin/client/hooks";
import type { DeadLetterListFilter } from "@/lib/admin/client/keys";
import { Timestamp } from "@/components/ui/timestamp";

type DeadLetterTableProps = {
  filter: DeadLetterListFilter;
  firstPage: DeadLetterPage;
  /** The filter form's values, so an organisation's name can link to its dead letters. */
  values: DeadLetterFormValues;
  timeZone: string;
  filtered: boolean;
};

/** Failed jobs, newest first, each linking to its detail, with "Load more". */
export function DeadLetterTable({ filter, firstPage, values, timeZone, filtered }: DeadLetterTableProps) {
  const list = useDeadLetters(filter, firstPage);
  const jobs = list.data.pages.flatMap((page) => page.jobs);

  return (
    <section aria-labelledby="dead-letter-table" className="rounded-2xl bg-white dark:bg-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <h2 id="dead-letter-table" className="border-b border-zinc-200 dark:border-zinc-800 px-6 py-4 font-semibold">
        Failed jobs
      </h2>
      {jobs.length === 0 ? (
        <EmptyState title={filtered ? "Nothing matches these filters" : "No dead letters"}>
          {filtered
            ? "No failed job matches. Widen the filters, or clear them."
            : "Jobs that fail after their last retry appear here, with their error, ready to replay."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-zinc-200 dark:border-zinc-800 text-xs font-medium tracking-wide text-zinc-500 dark:text-zinc-400 uppercase">
              <tr>
                <th scope="col" className="px-6 py-3">Job</th>
                <th scope="col" className="px-3 py-3">Organisation</th>
                <th scope="col" className="px-3 py-3">Error</th>
                <th scope="col" className="px-3 py-3">Attempts</th>
                <th scope="col" className="px-3 py-3">Last failure</th>
                <th scope="col" className="px-6 py-3">Replay</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {jobs.map((job) => (
                <DeadLetterRow key={job.id} job={job} values={values} timeZone={timeZone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(list.hasNextPage || list.isFetchNextPageError) && (
        <div className="space-y-3 border-t border-zinc-100 dark:border-zinc-800 px-6 py-4 text-center">
          {list.isFetchNextPageError && <Alert tone="error">Couldn&apos;t load more failed jobs. Try again.</Alert>}
          <Button
            variant="secondary"
            pending={list.isFetchingNextPage}
            pendingLabel="Loading…"
            onClick={() => void list.fetchNextPage()}
          >
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}

function DeadLetterRow({ job, values, timeZone }: { job: AdminJobView; values: DeadLetterFormValues; timeZone: string }) {
  return (
    <tr className="align-top">
      <th scope="row" className="px-6 py-4 font-normal">
        <Link
          href={`/admin/dead-letters/${job.id}`}
          className="font-mono font-medium text-brand-700 dark:text-brand-300 hover:text-brand-800 dark:hover:text-brand-200 hover:underline"
          aria-label={`${job.type} job for ${job.userEmail ?? job.orgName ?? "unknown"}: details`}
        >
          {job.type}
        </Link>
        {job.userEmail && <p className="mt-0.5 text-zinc-500 dark:text-zinc-400">{job.userEmail}</p>}
      </th>
      <td className="px-3 py-4">
        <Link
          href={deadLetterHref({ ...values, org: job.orgId })}
          className="text-zinc-700 dark:text-zinc-300 hover:text-zinc-900 dark:hover:text-white hover:underline"
          title="Only this organisation's failed jobs"
        >
          {job.orgName ?? job.orgId}
        </Link>
      </td>
      <td className="max-w-sm px-3 py-4">
        <p className="line-clamp-2 break-words text-zinc-700 dark:text-zinc-300">{job.error ?? "No error recorded."}</p>
      </td>
      <td className="px-3 py-4 whitespace-nowrap text-zinc-700 dark:text-zinc-300">
        {job.attempt} of {job.maxAttempts}
      </td>
      <td className="px-3 py-4 whitespace-nowrap text-zinc-700 dark:text-zinc-300">
        <Timestamp iso={job.failedAt} timeZone={timeZone} />
      </td>
      <td className="px-6 py-4 whitespace-nowrap">
        {job.replayId ? (
          <Link href={`/admin/dead-letters/${job.replayId}`} className="font-medium text-brand-700 dark:text-brand-300 hover:underline">
            Replayed
          </Link>
        ) : job.replayedAt ? (
          <span className="text-zinc-500 dark:text-zinc-400">Replayed</span>
        ) : (
          <span className="text-zinc-500 dark:text-zinc-400">{job.replayBlocker ? "Can't replay" : "Not yet"}</span>
        )}
      </td>
    </tr>
  );
}
