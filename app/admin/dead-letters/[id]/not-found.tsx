import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function AdminJobNotFound() {
  return (
    <div className="rounded-2xl bg-white dark:bg-zinc-900 p-8 text-center shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <h1 className="text-lg font-semibold">No such job</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">It may have been cleaned up, or it isn&apos;t yours to administer.</p>
      <Link href="/admin/dead-letters" className={buttonClass("primary", "mt-6")}>
        See the dead letters
      </Link>
    </div>
  );
}
