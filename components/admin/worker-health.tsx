import { Suspense } from "react";
import { Card } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { formatSeconds } from "@/lib/duration";
import { env } from "@/lib/env";
import { getInngestContacts, workerHealth } from "@/lib/health/inngest-contacts";
import { createServiceSupabase } from "@/lib/supabase/service";

const DESCRIPTION =
  "When Inngest last synced this app and last called it to run a step (signed requests, whatever the step's outcome). A failed sync or a wrong signing key stops both, before jobs pile up.";

/** Worker health as Inngest sees it, for platform admins (it is about the whole install). */
export function WorkerHealthCard({ timeZone }: { timeZone: string }) {
  return (
    <Card id="worker-health" title="Worker" description={DESCRIPTION}>
      <Suspense fallback={<p className="text-sm text-zinc-500 dark:text-zinc-400">Checking when Inngest last called…</p>}>
        <WorkerHealthBody timeZone={timeZone} />
      </Suspense>
    </Card>
  );
}

async function WorkerHealthBody({ timeZone }: { timeZone: string }) {
  const silentAfter = env().ALERT_WORKER_SILENT_SECONDS;
  const health = workerHealth(await getInngestContacts(createServiceSupabase()), new Date(), silentAfter);
  const { sync, call } = health.contacts;
  return (
    <div className="space-y-4">
      {health.state === "never" && (
        <p role="alert" className="rounded-lg bg-amber-50 dark:bg-amber-950 p-3 text-sm text-amber-900 dark:text-amber-100 ring-1 ring-amber-200 dark:ring-amber-900 ring-inset">
          Never synced: Inngest has not reached this app yet, so no job runs. Sync the app in the Inngest dashboard and
          check INNGEST_SIGNING_KEY and APP_URL.
        </p>
      )}
      {health.state === "silent" && (
        <p role="alert" className="rounded-lg bg-red-50 dark:bg-red-950 p-3 text-sm text-red-800 dark:text-red-200 ring-1 ring-red-200 dark:ring-red-900 ring-inset">
          No call from Inngest for {formatSeconds(health.silentForSeconds)}. If jobs are waiting, no worker is running
          them: check the app&apos;s sync state in the Inngest dashboard and INNGEST_SIGNING_KEY.
        </p>
      )}
      <dl className="grid gap-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-zinc-500 dark:text-zinc-400">Last sync</dt>
          <dd className="mt-1 font-medium">
            <Timestamp iso={sync?.lastAt ?? null} timeZone={timeZone} empty="Never synced" />
          </dd>
        </div>
        <div>
          <dt className="text-zinc-500 dark:text-zinc-400">Last call from Inngest</dt>
          <dd className="mt-1 font-medium">
            <Timestamp iso={call?.lastAt ?? null} timeZone={timeZone} empty="No call yet" />
          </dd>
        </div>
      </dl>
    </div>
  );
}
