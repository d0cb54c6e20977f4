import { sendReplayEvent } from "@/inngest/replay";
import { requireAdminScope } from "@/lib/admin/access";
import { bulkReplay } from "@/lib/admin/replay";
import { bulkReplaySchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { createServiceSupabase } from "@/lib/supabase/service";

/**
 * Bulk replay, in two requests: `{ filter, cap }` previews, `{ preview }` (nothing changes);
 * `{ filter, cap, confirm: { count, selection } }` with the preview's values replays those
 * jobs: 202 `{ replayed: [{ jobId, replayId }], failed: [{ jobId, error }] }`, one audit
 * entry. If other jobs match by then, 409 `selection_changed` with the new `preview`.
 */
export const POST = route({}, async ({ request, supabase, user }) => {
  const scope = await requireAdminScope(supabase, user);
  // Parsed after the scope check, so only admins learn what the body looks like.
  const body = await parseJsonBody(request, bulkReplaySchema);
  const result = await bulkReplay(createServiceSupabase(), scope, body, sendReplayEvent);
  switch (result.kind) {
    case "preview":
      return Response.json({ preview: result.preview });
    case "changed":
      return Response.json(
        {
          error: {
            code: "selection_changed",
            message: `The failed jobs matching this filter changed since you looked: ${result.preview.count} would be replayed now. Check and confirm again.`,
          },
          preview: result.preview,
        },
        { status: 409 },
      );
    case "replayed":
      return Response.json({ replayed: result.replayed, failed: result.failed }, { status: 202 });
  }
});
