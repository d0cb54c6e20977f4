"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Button, buttonClass } from "@/components/ui/button";

export default function JobError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div
      role="alert"
      className="rounded-2xl bg-white dark:bg-zinc-900 p-8 text-center shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800"
    >
      <h1 className="text-lg font-semibold">We couldn&apos;t load this job</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        This doesn&apos;t affect the job itself. Try again in a moment.
      </p>
      <div className="mt-6 flex justify-center gap-3">
        <Button onClick={retry}>Try again</Button>
        <Link href="/dashboard/jobs" className={buttonClass("secondary")}>
          All jobs
        </Link>
      </div>
    </div>
  );
}
