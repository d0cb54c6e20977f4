"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";

export default function AdminJobError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div role="alert" className="rounded-2xl bg-white dark:bg-zinc-900 p-8 text-center shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <h1 className="text-lg font-semibold">We couldn&apos;t load this job</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Nothing was changed. Try again in a moment.</p>
      <Button className="mt-6" onClick={retry}>
        Try again
      </Button>
    </div>
  );
}
