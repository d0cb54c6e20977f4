"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { requestErrorMessage, useRequestReport } from "@/lib/jobs/client/use-request-report";
import type { ReportParams } from "@/lib/reports/request";

/** Asks for the same report again, as a new job, and opens it. */
export function RequestAgainButton({
  params,
  children,
}: {
  params: ReportParams;
  children: ReactNode;
}) {
  const { submit, pending, error } = useRequestReport();

  return (
    <div className="flex flex-col items-end gap-2">
      <Button pending={pending} pendingLabel="Requesting…" onClick={() => submit(params)}>
        {children}
      </Button>
      {error && !pending && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {requestErrorMessage(error)}
        </p>
      )}
    </div>
  );
}
