"use client";

import { useId, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useBulkReplay } from "@/lib/admin/client/hooks";
import type { BulkPreview } from "@/lib/admin/replay";
import { DEFAULT_BULK_REPLAY_CAP, MAX_BULK_REPLAY_CAP, type DeadLetterFilter } from "@/lib/admin/schemas";
import { formatCount } from "@/lib/jobs/client/format";
import { HttpError } from "@/lib/http/errors";

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/**
 * "Replay everything that matches": asks the server what that is (a preview), shows the
 * count and the cap in a confirmation, and sends the preview's selection back, so what is
 * replayed is what the admin confirmed. If the matching jobs changed meanwhile, the server
 * refuses and the dialog shows the new numbers to confirm again.
 */
export function BulkReplay({ filter, summary }: { filter: DeadLetterFilter; summary: string }) {
  const capId = useId();
  const [cap, setCap] = useState(String(DEFAULT_BULK_REPLAY_CAP));
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [changed, setChanged] = useState<string | null>(null);
  const previewing = useBulkReplay();
  const replaying = useBulkReplay();

  const capValue = Number(cap);
  const capValid = Number.isInteger(capValue) && capValue >= 1 && capValue <= MAX_BULK_REPLAY_CAP;

  const failure = (error: Error) =>
    error instanceof HttpError ? error.message : "Couldn't reach the server. Try again.";

  function ask() {
    setNotice(null);
    previewing.mutate(
      { filter, cap: capValue },
      {
        onSuccess: (answer) => {
          if (answer.kind !== "preview") return;
          if (answer.preview.count === 0) {
            setNotice({ tone: "success", text: "No failed job matching these filters is waiting for a replay." });
          } else setPreview(answer.preview);
        },
        onError: (error) => setNotice({ tone: "error", text: failure(error) }),
      },
    );
  }

  function confirm(current: BulkPreview) {
    replaying.mutate(
      { filter, cap: current.cap, confirm: { count: current.count, selection: current.selection } },
      {
        onSuccess: (answer) => {
          if (answer.kind === "changed") {
            setChanged(answer.message);
            setPreview(answer.preview.count > 0 ? answer.preview : null);
            if (answer.preview.count === 0) setNotice({ tone: "success", text: "Nothing is left to replay." });
            return;
          }
          if (answer.kind !== "replayed") return;
          close();
          const failed = answer.failed.length ? ` ${plural(answer.failed.length, "job", "jobs")} couldn't be replayed: ${answer.failed[0]!.error}` : "";
          setNotice({
            tone: answer.failed.length ? "error" : "success",
            text: `Replayed ${plural(answer.replayed.length, "job", "jobs")}.${failed}`,
          });
        },
      },
    );
  }

  function close() {
    setPreview(null);
    setChanged(null);
    replaying.reset();
  }

  return (
    <section aria-labelledby="bulk-replay" className="rounded-2xl bg-white dark:bg-zinc-900 p-6 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
      <h2 id="bulk-replay" className="font-semibold">
        Replay in bulk
      </h2>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
        Replays the failed jobs matching the filters ({summary}) that haven&apos;t been replayed, oldest first, after you
        confirm how many.
      </p>
      <div className="mt-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={capId} className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">
            At most
          </label>
          <input
            id={capId}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_BULK_REPLAY_CAP}
            value={cap}
            onChange={(event) => setCap(event.target.value)}
            aria-invalid={capValid ? undefined : true}
            aria-describedby={`${capId}-hint`}
            className="mt-1.5 block w-28 rounded-lg border-0 bg-white dark:bg-zinc-900 px-3 py-2 text-zinc-900 dark:text-zinc-100 shadow-sm ring-1 ring-zinc-300 dark:ring-zinc-700 ring-inset focus:ring-2 focus:ring-brand-600 dark:focus:ring-brand-400 focus:outline-none aria-invalid:ring-red-500 dark:aria-invalid:ring-red-400 sm:text-sm"
          />
        </div>
        <Button variant="secondary" disabled={!capValid} pending={previewing.isPending} pendingLabel="Counting…" onClick={ask}>
          Replay matching jobs…
        </Button>
      </div>
      <p id={`${capId}-hint`} className={`mt-1.5 text-sm ${capValid ? "text-zinc-500 dark:text-zinc-400" : "text-red-600 dark:text-red-400"}`}>
        Between 1 and {MAX_BULK_REPLAY_CAP} per round; run it again for the rest.
      </p>
      {notice && (
        <div className="mt-4">
          <Alert tone={notice.tone}>{notice.text}</Alert>
        </div>
      )}

      <ConfirmDialog
        open={preview !== null}
        title={preview ? `Replay ${plural(preview.count, "failed job", "failed jobs")}?` : "Replay"}
        confirmLabel={preview ? `Replay ${plural(preview.count, "job", "jobs")}` : "Replay"}
        cancelLabel="Don't replay"
        pending={replaying.isPending}
        pendingLabel="Replaying…"
        error={changed ?? (replaying.error && failure(replaying.error))}
        onConfirm={() => preview && confirm(preview)}
        onClose={close}
      >
        {preview && (
          <>
            <p>
              {plural(preview.matching, "failed job", "failed jobs")} {summary}, not yet replayed, can be replayed.
            </p>
            <p className="mt-2">
              {preview.count < preview.matching
                ? `The cap is ${formatCount(preview.cap)}: the oldest ${formatCount(preview.count)} are replayed now, the rest stay for another round.`
                : `The cap is ${formatCount(preview.cap)}: ${preview.count === 1 ? "it is" : "all of them are"} replayed now.`}{" "}
              Each runs again as a new job; this is recorded in the audit log.
            </p>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
