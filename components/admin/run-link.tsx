"use client";

import { useState } from "react";

/**
 * A job's Inngest run: a link to its page where one is known (a dev server's runs page),
 * and always the id with a copy button, to find it in Inngest Cloud.
 */
export function RunLink({ runId, url }: { runId: string; url: string | null }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="flex flex-wrap items-center gap-2">
      {url ? (
        <a href={url} target="_blank" rel="noreferrer" className="font-mono font-medium text-brand-700 dark:text-brand-300 hover:underline">
          {runId}
        </a>
      ) : (
        <code>{runId}</code>
      )}
      <button
        type="button"
        className="rounded px-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-300 ring-1 ring-zinc-300 dark:ring-zinc-700 hover:bg-zinc-50 dark:hover:bg-zinc-800"
        onClick={() => void navigator.clipboard.writeText(runId).then(() => setCopied(true))}
        aria-label="Copy the run id"
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </span>
  );
}
