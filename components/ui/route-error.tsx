"use client";

import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { Button, buttonClass } from "./button";

/**
 * What Next.js passes a segment's error.tsx. `retry` refetches the segment's server
 * components, then re-renders it, which a server-side failure needs (`reset` only re-renders).
 */
export type RouteErrorProps = { error: unknown; retry: () => void };

type RouteErrorCopy = {
  /** What couldn't be shown: "We couldn't load this job". */
  title: string;
  /** What the failure means for the user's data, and what to do. */
  detail?: ReactNode;
  /** A way out besides retrying, such as the list the page belongs to. */
  back?: { href: string; label: string };
};

/** The body of every error.tsx: says what failed, logs the error, and offers a retry. */
export function RouteError({ error, retry, title, detail = "Try again in a moment.", back }: RouteErrorProps & RouteErrorCopy) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div role="alert" className="rounded-2xl bg-white dark:bg-zinc-900 p-8 text-center shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{detail}</p>
      <div className="mt-6 flex justify-center gap-3">
        <Button onClick={retry}>Try again</Button>
        {back && (
          <Link href={back.href} className={buttonClass("secondary")}>
            {back.label}
          </Link>
        )}
      </div>
    </div>
  );
}
