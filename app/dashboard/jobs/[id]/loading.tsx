export default function JobLoading() {
  return (
    <div aria-busy="true" className="animate-pulse space-y-6">
      <p className="sr-only" role="status">
        Loading the job…
      </p>
      <div className="h-5 w-20 rounded-md bg-zinc-200 dark:bg-zinc-700" />
      <div className="space-y-2">
        <div className="h-7 w-72 rounded-md bg-zinc-200 dark:bg-zinc-700" />
        <div className="h-5 w-96 max-w-full rounded-md bg-zinc-200 dark:bg-zinc-700" />
      </div>
      <div className="space-y-4 rounded-2xl bg-white dark:bg-zinc-900 p-6 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
        <div className="h-4 w-24 rounded-md bg-zinc-200 dark:bg-zinc-700" />
        <div className="h-2.5 rounded-full bg-zinc-200 dark:bg-zinc-700" />
        <div className="h-4 w-56 rounded-md bg-zinc-200 dark:bg-zinc-700" />
      </div>
    </div>
  );
}
