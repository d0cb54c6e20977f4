import { z } from "zod";
import { sendReplayEvent } from "@/inngest/replay";
import { replayJob } from "@/lib/admin/replay";
import { route } from "@/lib/http/route";

/**
 * Replays a failed job: 202 `{ jobId, replayId, statusUrl }`, the replay being a new job
 * that runs the original event again. 404 outside the caller's scope; 409 when the job
 * isn't failed, was already replayed, or can't be sent again. Audited.
 */
export const POST = route(
  { auth: "team-admin", params: z.object({ id: z.uuid() }) },
  async ({ scope, params, service }) => {
    const { jobId, replayId } = await replayJob(service(), scope, params.id, sendReplayEvent);
    const statusUrl = `/api/admin/jobs/${replayId}`;
    return Response.json({ jobId, replayId, statusUrl }, { status: 202, headers: { Location: statusUrl } });
  },
);
