export default function DashboardLoading() {
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
