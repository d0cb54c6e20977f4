import { deleteExpiredJobs } from "@/lib/jobs/cleanup";
import type { TerminalStatus } from "@/lib/jobs/state";
import { env } from "@/lib/env";
import { createServiceSupabase } from "@/lib/supabase/service";
import { deleteExpiredWebhookMessages, type EndedMessageStatus } from "@/lib/webhooks/cleanup";
import { inngest } from "../client";
import { cronSchedules, manualRunTrigger } from "../events";

const BATCH_SIZE = 1000;
/**
 * A bound on steps per run: three job statuses × 200 and three message statuses × 100
 * stay under Inngest's 1,000 steps per function, and still delete 200,000 jobs and
 * 100,000 webhook messages a night per status.
 */
const MAX_BATCHES = 200;
const MAX_MESSAGE_BATCHES = 100;

/**
 * Keeps the jobs table small: every night, deletes completed and cancelled jobs after
 * JOB_RETENTION_COMPLETED_DAYS (30) and failed ones after JOB_RETENTION_FAILED_DAYS (90),
 * and webhook messages likewise (delivered and skipped as completed, failed as failed),
 * in batches, one step each, so a crash resumes where it stopped. Returns the counts.
 */
export const cleanupJobs = inngest.createFunction(
  {
    id: "cleanup-jobs",
    name: "Clean up old jobs",
    triggers: [{ cron: cronSchedules["cleanup-jobs"] }, manualRunTrigger("cleanup-jobs")],
    concurrency: 1,
  },
  async ({ step }) => {
    const { JOB_RETENTION_COMPLETED_DAYS, JOB_RETENTION_FAILED_DAYS } = env();
    const policy: [TerminalStatus, number][] = [
      ["completed", JOB_RETENTION_COMPLETED_DAYS],
      ["cancelled", JOB_RETENTION_COMPLETED_DAYS],
      ["failed", JOB_RETENTION_FAILED_DAYS],
    ];
    const deleted: Record<string, number> = {};
    for (const [status, olderThanDays] of policy) {
      deleted[status] = 0;
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const count = await step.run(`delete-${status}-${batch}`, () =>
          deleteExpiredJobs(createServiceSupabase(), { status, olderThanDays, batchSize: BATCH_SIZE }),
        );
        deleted[status] += count;
        if (count < BATCH_SIZE) break;
      }
    }
    const messagePolicy: [EndedMessageStatus, number][] = [
      ["delivered", JOB_RETENTION_COMPLETED_DAYS],
      ["skipped", JOB_RETENTION_COMPLETED_DAYS],
      ["failed", JOB_RETENTION_FAILED_DAYS],
    ];
    const deletedMessages: Record<string, number> = {};
    for (const [status, olderThanDays] of messagePolicy) {
      deletedMessages[status] = 0;
      for (let batch = 0; batch < MAX_MESSAGE_BATCHES; batch++) {
        const count = await step.run(`delete-webhook-messages-${status}-${batch}`, () =>
          deleteExpiredWebhookMessages(createServiceSupabase(), { status, olderThanDays, batchSize: BATCH_SIZE }),
        );
        deletedMessages[status] += count;
        if (count < BATCH_SIZE) break;
      }
    }
    return { deleted, deletedMessages };
  },
);
