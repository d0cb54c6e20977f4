import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export const metadata: Metadata = { title: "No such endpoint" };

export default function EndpointNotFound() {
  return (
    <div className="rounded-2xl bg-white dark:bg-zinc-900 p-8 text-center shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <h1 className="text-lg font-semibold">No such endpoint</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        It may have been deleted, or it belongs to another organisation.
      </p>
      <Link href="/dashboard/webhooks" className={buttonClass("primary", "mt-6")}>
        See all endpoints
      </Link>
    </div>
  );
}
