import type { ReactNode } from "react";

/** What a list shows when it has nothing: what's missing, and what would fill it. */
export function EmptyState({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <div className="px-6 py-12 text-center">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      <p className="mx-auto mt-1 max-w-sm text-sm text-zinc-500 dark:text-zinc-400">{children}</p>
    </div>
  );
}
