import type { ReactNode } from "react";
import { Logo } from "@/components/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center bg-zinc-50 dark:bg-zinc-950 px-6 py-12 sm:py-20">
      <header>
        <Logo />
      </header>
      <main
        id="main"
        className="mt-8 w-full max-w-sm rounded-2xl bg-white dark:bg-zinc-900 p-8 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800"
      >
        {children}
      </main>
    </div>
  );
}
