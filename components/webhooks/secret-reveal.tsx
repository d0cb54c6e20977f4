"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Timestamp } from "@/components/ui/timestamp";

/**
 * An endpoint's signing secret, the one time it is shown: to copy into the receiver's
 * settings. After a rotation, says until when the previous one still signs.
 */
export function SecretReveal({
  secret,
  previousExpiresAt,
  timeZone,
  onDone,
}: {
  secret: string;
  previousExpiresAt: string | null;
  timeZone: string;
  onDone: () => void;
}) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // No clipboard permission (an insecure origin, a refused prompt): the text is selectable.
      setCopied("failed");
    }
  }

  return (
    <div role="region" aria-labelledby={`${id}-title`} className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-200 ring-inset dark:bg-amber-950 dark:ring-amber-900">
      <p id={`${id}-title`} className="text-sm font-semibold text-amber-900 dark:text-amber-100">
        Signing secret: copy it now, it won&apos;t be shown again
      </p>
      <p className="mt-1 text-sm text-amber-900 dark:text-amber-100">
        Your receiver verifies each message&apos;s <span className="font-mono">webhook-signature</span> header with it (Standard Webhooks).
        {previousExpiresAt && (
          <>
            {" "}The previous secret keeps signing until <Timestamp iso={previousExpiresAt} timeZone={timeZone} />.
          </>
        )}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor={`${id}-secret`} className="sr-only">
          Signing secret
        </label>
        <input
          id={`${id}-secret`}
          readOnly
          value={secret}
          onFocus={(event) => event.target.select()}
          className="min-w-0 flex-1 rounded-lg border-0 bg-white px-3 py-2 font-mono text-sm text-zinc-900 ring-1 ring-zinc-300 ring-inset dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700"
        />
        <Button variant="secondary" onClick={() => void copy()}>
          Copy secret
        </Button>
        <Button variant="ghost" onClick={onDone}>
          I&apos;ve saved it
        </Button>
      </div>
      <p aria-live="polite" className="mt-2 text-sm text-amber-900 dark:text-amber-100">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Couldn't copy: select the secret and copy it yourself." : ""}
      </p>
    </div>
  );
}
