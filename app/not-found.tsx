import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main" className="grid min-h-dvh place-items-center px-6 text-center">
      <div>
        <p className="text-sm font-semibold text-brand-600 dark:text-brand-300">404</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight">Page not found</h1>
        <p className="mt-3 text-zinc-600 dark:text-zinc-400">There is nothing at this address.</p>
        <Link href="/" className={buttonClass("primary", "mt-8")}>
          Back to the home page
        </Link>
      </div>
    </main>
  );
}
