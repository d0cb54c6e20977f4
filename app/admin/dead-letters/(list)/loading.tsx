/**
 * In the (list) group so it wraps only the list: a loading boundary above the job page
 * would stream a 200 before its notFound() could answer 404 for someone else's job.
 */
export default function DeadLettersLoading() {
  return (
    <div aria-busy="true" className="animate-pulse space-y-8">
      <p className="sr-only" role="status">
        Loading dead letters…
      </p>
      <div className="space-y-2">
        <div className="h-7 w-48 rounded-md bg-zinc-200 dark:bg-zinc-700" />
        <div className="h-5 w-96 max-w-full rounded-md bg-zinc-200 dark:bg-zinc-700" />
      </div>
      <div className="h-20 rounded-2xl bg-zinc-200 dark:bg-zinc-700" />
      <div className="h-64 rounded-2xl bg-zinc-200 dark:bg-zinc-700" />
    </div>
  );
}
