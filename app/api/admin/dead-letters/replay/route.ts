import { sendReplayEvent } from "@/inngest/replay";
import { HttpError } from "@/lib/http/errors";
import { bulkReplay } from "@/lib/admin/replay";
import { bulkReplaySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

/**
 * Bulk replay, in two requests: `{ filter, cap }` previews, `{ preview }` (nothing changes);
 * `{ filter, cap, confirm: { count, selection } }` with the preview's values replays those
 * jobs: 202 `{ replayed: [{ jobId, replayId }], failed: [{ jobId, error }] }`, one audit
 * entry. If other jobs match by then, 409 `selection_changed` with the new `preview`
 * beside `error`.
 */
export const POST = route({ auth: "team-admin", body: bulkReplaySchema }, async ({ scope, body, service }) => {
  const result = await bulkReplay(service(), scope, body, sendReplayEvent);
  switch (result.kind) {
    case "preview":
      return Response.json({ preview: result.preview });
    case "changed":
      throw new HttpError(
        409,
        "selection_changed",
        `The failed jobs matching this filter changed since you looked: ${result.preview.count} would be replayed now. Check and confirm again.`,
        undefined,
        undefined,
        { preview: result.preview },
      );
    case "replayed":
      return Response.json({ replayed: result.replayed, failed: result.failed }, { status: 202 });
  }
});
