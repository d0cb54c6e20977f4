"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { errorMessage, switchOrganisation } from "./api";
import { useOrganisationChange } from "./use-organisation-change";

type Props = {
  /** What the job is, as the page names it: a report or another job. */
  kind: "report" | "job";
  /** The organisation the job belongs to, one of the viewer's. */
  organisation: { id: string; name: string };
  /** The name of the organisation the viewer acts in now. */
  currentName: string;
  /** This job's page, shown again once the switch is saved. */
  jobPath: string;
};

/**
 * A job page opened while working in another of the viewer's organisations (a report
 * email's link, after a switch): says whose it is and switches there, then shows the job.
 * Jobs follow the current organisation everywhere else, so it is a switch, not a peek.
 */
export function OtherOrganisationJob({ kind, organisation, currentName, jobPath }: Props) {
  const change = useOrganisationChange();
  const mutation = useMutation({
    mutationFn: () => switchOrganisation(organisation.id),
    // The same page again: rendered for the new organisation, it is the job itself.
    onSuccess: () => change.go(jobPath),
  });
  const busy = mutation.isPending || change.pending;
  const list = kind === "report" ? { href: "/dashboard/reports", label: "Back to reports" } : { href: "/dashboard/jobs", label: "See all jobs" };

  return (
    <div className="mx-auto max-w-xl space-y-6 rounded-2xl bg-white dark:bg-zinc-900 p-8 text-center shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <div>
        <h1 className="text-lg font-semibold">
          This {kind} belongs to {organisation.name}
        </h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          You&apos;re working in {currentName}. Switch to {organisation.name} to see it; the dashboard then shows{" "}
          {organisation.name}&apos;s work until you switch back.
        </p>
      </div>
      {mutation.isError && <Alert tone="error">Couldn&apos;t switch: {errorMessage(mutation.error)}</Alert>}
      <div className="flex flex-wrap justify-center gap-3">
        <Button pending={busy} pendingLabel={`Switching to ${organisation.name}…`} onClick={() => mutation.mutate()}>
          Switch to {organisation.name}
        </Button>
        <Link href={list.href} className={buttonClass("secondary")}>
          {list.label}
        </Link>
      </div>
    </div>
  );
}
