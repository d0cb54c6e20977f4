import type { ReactNode } from "react";

const tones = {
  error: { role: "alert", className: "bg-red-50 dark:bg-red-950 text-red-800 dark:text-red-200 ring-red-200 dark:ring-red-900" },
  success: { role: "status", className: "bg-emerald-50 dark:bg-emerald-950 text-emerald-800 dark:text-emerald-200 ring-emerald-200 dark:ring-emerald-900" },
  info: { role: "status", className: "bg-zinc-50 dark:bg-zinc-900 text-zinc-800 dark:text-zinc-200 ring-zinc-200 dark:ring-zinc-800" },
} as const;

/** A message about the whole form; errors interrupt screen readers, the others don't. */
export function Alert({ tone, children }: { tone: keyof typeof tones; children: ReactNode }) {
  const { role, className } = tones[tone];
  return (
    <div role={role} className={`rounded-lg p-3 text-sm ring-1 ring-inset ${className}`}>
      {children}
    </div>
  );
}
