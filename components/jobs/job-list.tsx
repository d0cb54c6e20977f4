"use client";

import Link from "next/link";
import { useEffect, useRef, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { JobPage } from "@/lib/jobs/client/api";
import { describeJob } from "@/lib/jobs/client/describe";
import { jobPagePath } from "@/lib/jobs/client/paths";
import { useJobList } from "@/lib/jobs/client/use-job-list";
import type { JobStatusView } from "@/lib/jobs/view";
import { JobStatusBadge } from "./job-status-badge";
import { shortDateTimeFormat } from "@/components/ui/timestamp";

type JobListProps = {
  /** Only jobs of this type; all when unset. */
  type?: string;
  firstPage: JobPage;
  timeZone: string;
  heading: string;
  empty: { title: string; description: string };
  /** Shown beside the heading, e.g. a link to everything. */
  action?: ReactNode;
};

/** Jobs, newest first, each linking to its page, with "Load more" for older ones. */
export function JobList({ type, firstPage, timeZone, heading, empty, action }: JobListProps) {
  const list = useJobList(type, firstPage);
  const listRef = useRef<HTMLUListElement>(null);
  const jobs = list.data.pages.flatMap((page) => page.jobs);
  const headingId = `${type ?? "all"}-jobs`;

  const formatDate = shortDateTimeFormat(timeZone);

  // Keyboard users land on the first job just loaded, not on the button below it (which is
  // gone after the last page). Focused once those jobs are on screen.
  const focusFrom = useRef<number | null>(null);
  useEffect(() => {
    const link =
      focusFrom.current === null ? null : listRef.current?.querySelectorAll("a")[focusFrom.current];
    if (!link) return;
    focusFrom.current = null;
    link.focus();
  }, [jobs.length]);

  function loadMore() {
    focusFrom.current = jobs.length;
    void list.fetchNextPage();
  }

  return (
    <section
      aria-labelledby={headingId}
      className="rounded-2xl bg-white dark:bg-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800"
    >
      <div className="flex items-center justify-between gap-4 border-b border-zinc-200 dark:border-zinc-800 px-6 py-4">
        <h2 id={headingId} className="font-semibold">
          {heading}
        </h2>
        {action}
      </div>
      {jobs.length === 0 ? (
        <EmptyState title={empty.title}>{empty.description}</EmptyState>
      ) : (
        <ul ref={listRef} className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {jobs.map((job) => (
            <li key={job.id}>
              <JobRow job={job} createdAt={formatDate.format(new Date(job.createdAt))} />
            </li>
          ))}
        </ul>
      )}
      {(list.hasNextPage || list.isFetchNextPageError) && (
        <div className="space-y-3 border-t border-zinc-100 dark:border-zinc-800 px-6 py-4 text-center">
          {list.isFetchNextPageError && (
            <Alert tone="error">Couldn&apos;t load more jobs. Try again.</Alert>
          )}
          <Button
            variant="secondary"
            pending={list.isFetchingNextPage}
            pendingLabel="Loading…"
            onClick={loadMore}
          >
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}

function JobRow({ job, createdAt }: { job: JobStatusView; createdAt: string }) {
  const { title, detail } = describeJob(job);
  const running = job.status === "processing" || job.status === "retrying";

  return (
    <Link
      href={jobPagePath(job)}
      className="flex items-center justify-between gap-4 px-6 py-4 hover:bg-zinc-50 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400"
    >
      <div className="min-w-0">
        <p className="font-medium text-zinc-900 dark:text-zinc-100">
          {title}
          {detail && <span className="font-normal text-zinc-600 dark:text-zinc-400"> · {detail}</span>}
        </p>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          <time dateTime={job.createdAt} suppressHydrationWarning>
            {createdAt}
          </time>
        </p>
      </div>
      <div className="flex shrink-0 flex-col items-end gap-1.5">
        <JobStatusBadge status={job.status} progress={job.progress} />
        {running && (
          // The badge says how far along it is; this is the same, at a glance.
          <div aria-hidden="true" className="h-1 w-24 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800">
            <div
              className="h-full rounded-full bg-brand-600 transition-[width] duration-500"
              style={{ width: `${job.progress}%` }}
            />
          </div>
        )}
      </div>
    </Link>
  );
}
