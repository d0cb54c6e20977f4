import { z } from "zod";
import { cancelJobsOfRun } from "@/lib/jobs/store";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";

/**
 * What Inngest documents for `inngest/function.cancelled`, as far as this function reads
 * it: the run, and the event that started it (whose `jobId`, if any, names the job).
 */
const cancelledRun = z.object({
  run_id: z.string().min(1),
  event: z.object({ data: z.object({ jobId: z.uuid().optional().catch(undefined) }).loose() }).optional(),
});

/**
 * A run can be cancelled where the app never hears of it: the Inngest runs page, its REST
 * API, a bulk cancel, or a `cancelOn` event another service sent. Inngest then emits
 * `inngest/function.cancelled` (no SDK hook runs, since the SDK isn't called again), and
 * this ends the run's job as `cancelled` so the user's page stops showing progress. A
 * cancel through the app has already ended the job; then this changes nothing.
 */
export const endCancelledJobs = inngest.createFunction(
  {
    id: "end-cancelled-jobs",
    name: "End jobs of cancelled runs",
    triggers: [{ event: "inngest/function.cancelled" }],
    retries: 3,
  },
  async ({ event, step }) => {
    const parsed = cancelledRun.safeParse(event.data);
    if (!parsed.success) return { cancelled: [], skipped: `not a run cancellation: ${parsed.error.message}` };
    const { run_id: runId, event: original } = parsed.data;
    const cancelled = await step.run("cancel-jobs", async () =>
      (await cancelJobsOfRun(createServiceSupabase(), { runId, jobId: original?.data.jobId })).map((job) => job.id),
    );
    return { cancelled };
  },
);
