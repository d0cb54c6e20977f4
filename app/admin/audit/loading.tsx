export default function AuditLoading() {
  return (
    <div aria-busy="true" className="animate-pulse space-y-8">
      <p className="sr-only" role="status">
        Loading the audit log…
      </p>
      <div className="h-7 w-40 rounded-md bg-zinc-200 dark:bg-zinc-700" />
      <div className="h-64 rounded-2xl bg-zinc-200 dark:bg-zinc-700" />
    </div>
  );
}
