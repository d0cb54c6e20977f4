/**
 * What a dashboard page shows while it loads (each one's loading.tsx). Not one loading.tsx
 * for all of /dashboard: a loading boundary above the job page would stream a 200 before
 * its notFound() could answer 404 for an unknown or someone else's job.
 */
export function PageSkeleton() {
  return (
    <div aria-busy="true" className="animate-pulse space-y-8">
      <p className="sr-only" role="status">
        Loading…
      </p>
      <div className="space-y-2">
        <div className="h-7 w-64 rounded-md bg-zinc-200 dark:bg-zinc-700" />
        <div className="h-5 w-80 rounded-md bg-zinc-200 dark:bg-zinc-700" />
      </div>
      <div className="h-32 rounded-2xl bg-zinc-200 dark:bg-zinc-700" />
      <div className="h-48 rounded-2xl bg-zinc-200 dark:bg-zinc-700" />
    </div>
  );
}
