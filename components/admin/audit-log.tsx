"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { AuditEntryView, AuditPage } from "@/lib/admin/audit";
import { useAuditLog } from "@/lib/admin/client/hooks";
import { Timestamp } from "@/components/ui/timestamp";

const actionLabels: Record<string, string> = {
  "job.replay": "Replayed a job",
  "job.replay_bulk": "Replayed jobs in bulk",
  "cron.run": "Ran a cron",
  "webhook.endpoint_created": "Added a webhook endpoint",
  "webhook.endpoint_deleted": "Deleted a webhook endpoint",
  "webhook.secret_rotated": "Rotated a webhook secret",
  "webhook.replayed": "Replayed webhook messages",
};

/** Shown jobs per entry (two replays: each failed job and its replay); a bulk replay can list hundreds. */
const JOBS_SHOWN = 4;

/** Every admin action, newest first: who, what, when, on which organisation and jobs. */
export function AuditLog({ firstPage, timeZone }: { firstPage: AuditPage; timeZone: string }) {
  const log = useAuditLog(firstPage);
  const entries = log.data.pages.flatMap((page) => page.entries);

  return (
    <section aria-labelledby="audit-entries" className="rounded-2xl bg-white dark:bg-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <h2 id="audit-entries" className="border-b border-zinc-200 dark:border-zinc-800 px-6 py-4 font-semibold">
        Entries
      </h2>
      {entries.length === 0 ? (
        <EmptyState title="Nothing yet">Replays, manual cron runs and webhook changes are recorded here, with who did them and when.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-zinc-200 dark:border-zinc-800 text-xs font-medium tracking-wide text-zinc-500 dark:text-zinc-400 uppercase">
              <tr>
                <th scope="col" className="px-6 py-3">When</th>
                <th scope="col" className="px-3 py-3">Who</th>
                <th scope="col" className="px-3 py-3">What</th>
                <th scope="col" className="px-3 py-3">Organisation</th>
                <th scope="col" className="px-6 py-3">Jobs</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} timeZone={timeZone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(log.hasNextPage || log.isFetchNextPageError) && (
        <div className="space-y-3 border-t border-zinc-100 dark:border-zinc-800 px-6 py-4 text-center">
          {log.isFetchNextPageError && <Alert tone="error">Couldn&apos;t load older entries. Try again.</Alert>}
          <Button variant="secondary" pending={log.isFetchingNextPage} pendingLabel="Loading…" onClick={() => void log.fetchNextPage()}>
            Load older entries
          </Button>
        </div>
      )}
    </section>
  );
}

/** The details worth a glance: which cron, or how a bulk replay was bounded. */
function detailsOf(entry: AuditEntryView): string | null {
  const details = entry.details;
  if (typeof details !== "object" || details === null || Array.isArray(details)) return null;
  if (typeof details.cron === "string") return details.cron;
  if (typeof details.count === "number" && typeof details.cap === "number") {
    return `${details.count} of ${typeof details.matching === "number" ? details.matching : "?"} matching, cap ${details.cap}`;
  }
  if (typeof details.type === "string") return details.type;
  return null;
}

/**
 * What each job of a replay entry is: the failed job, or its replay (`details.replays`
 * maps one to the other). Entries from before replays were recorded so list failed jobs only.
 */
function roleOf(entry: AuditEntryView, jobId: string): "failed job" | "replay" | null {
  const details = entry.details;
  if (!entry.action.startsWith("job.replay")) return null;
  const replays =
    typeof details === "object" && details !== null && !Array.isArray(details) ? details.replays : undefined;
  if (typeof replays !== "object" || replays === null || Array.isArray(replays)) return "failed job";
  return jobId in replays ? "failed job" : "replay";
}

function AuditRow({ entry, timeZone }: { entry: AuditEntryView; timeZone: string }) {
  const more = entry.jobIds.length - JOBS_SHOWN;
  const details = detailsOf(entry);
  return (
    <tr className="align-top">
      <td className="px-6 py-4 whitespace-nowrap text-zinc-700 dark:text-zinc-300">
        <Timestamp iso={entry.createdAt} timeZone={timeZone} />
      </td>
      <td className="px-3 py-4 text-zinc-900 dark:text-zinc-100">{entry.actorEmail}</td>
      <td className="px-3 py-4">
        <p className="text-zinc-900 dark:text-zinc-100">{actionLabels[entry.action] ?? entry.action}</p>
        {details && <p className="mt-0.5 font-mono text-xs text-zinc-500 dark:text-zinc-400">{details}</p>}
      </td>
      <td className="px-3 py-4 text-zinc-700 dark:text-zinc-300">{entry.orgName ?? (entry.orgId ? entry.orgId : "—")}</td>
      <td className="px-6 py-4">
        {entry.jobIds.length === 0 ? (
          <span className="text-zinc-500 dark:text-zinc-400">—</span>
        ) : (
          <ul className="space-y-0.5">
            {entry.jobIds.slice(0, JOBS_SHOWN).map((id) => {
              const role = roleOf(entry, id);
              return (
                <li key={id} className="text-xs">
                  <Link href={`/admin/dead-letters/${id}`} className="font-mono text-brand-700 dark:text-brand-300 hover:underline">
                    {id.slice(0, 8)}
                  </Link>
                  {role && <span className="text-zinc-500 dark:text-zinc-400"> ({role})</span>}
                </li>
              );
            })}
            {more > 0 && <li className="text-xs text-zinc-500 dark:text-zinc-400">and {more} more</li>}
          </ul>
        )}
      </td>
    </tr>
  );
}
