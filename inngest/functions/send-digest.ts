import { markDigestDone, sendDigest, summarizeActivity } from "@/lib/digest/digest";
import { jobTypes } from "@/lib/jobs/registry";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";
import { digestRequested } from "../events";

const sendDigestJob = jobTypes["send-digest"];

/**
 * One user's digest: a summary of the last 24 hours, sent only when there is something
 * to say, at most once per user per local date (function idempotency, and Resend's key),
 * throttled to Resend's default rate limit. Each digest is its own job row, so a failed
 * one is visible per user in the dead letters.
 */
export const sendDigestEmail = inngest.createFunction(
  {
    id: sendDigestJob.functionId,
    name: "Daily digest: send",
    triggers: [digestRequested],
    idempotency: 'event.data.userId + "-" + event.data.localDate + (has(event.data.jobId) ? "-" + event.data.jobId : "")',
    throttle: { limit: 2, period: "1s" },
    retries: sendDigestJob.retries,
  },
  async ({ event, step }) => {
    const recipient = event.data;
    const lines = await step.run("summarize", () =>
      summarizeActivity(createServiceSupabase(), recipient.orgId, new Date(recipient.asOf)),
    );
    if (lines.length === 0) {
      await step.run("mark-done", () => markDigestDone(createServiceSupabase(), recipient));
      return { sent: false };
    }
    const { id } = await step.run("send", () =>
      withEmailRetryPolicy(() => sendDigest(createServiceSupabase(), recipient, lines), "the digest"),
    );
    await step.run("mark-done", () => markDigestDone(createServiceSupabase(), recipient));
    return { sent: true, emailId: id };
  },
);
