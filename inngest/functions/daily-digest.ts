import { dueRecipients, markDigestDone, sendDigest, summarizeActivity } from "@/lib/digest/digest";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";
import { digestEventId, digestRequested, manualRunTrigger } from "../events";

const PAGE_SIZE = 500;
/** 100,000 users a run, two steps a page, within Inngest's 1,000 steps. */
const MAX_PAGES = 200;

/**
 * Every hour, finds the users whose local morning has come and who haven't had today's
 * digest, a page at a time, and fans out one `app/digest.requested` per user in batched
 * sends. Each page is a step, so a crash resumes at the page it stopped on; event ids
 * (user + local date) make a resent page, or the next hour's run, start nothing twice.
 */
export const dailyDigest = inngest.createFunction(
  {
    id: "daily-digest",
    name: "Daily digest: fan out",
    triggers: [{ cron: "TZ=UTC 0 * * * *" }, manualRunTrigger("daily-digest")],
    concurrency: 1,
  },
  async ({ step }) => {
    const asOf = await step.run("as-of", () => new Date().toISOString());
    let after: string | undefined;
    let queued = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const recipients = await step.run(`find-${page}`, () =>
        dueRecipients(createServiceSupabase(), { after, limit: PAGE_SIZE, now: new Date(asOf) }),
      );
      if (recipients.length === 0) break;
      await step.sendEvent(
        `fan-out-${page}`,
        recipients.map((r) => digestRequested.create({ ...r, asOf }, { id: digestEventId(r.userId, r.localDate) })),
      );
      queued += recipients.length;
      after = recipients.at(-1)!.userId;
      if (recipients.length < PAGE_SIZE) break;
    }
    return { queued };
  },
);

/**
 * One user's digest: a summary of the last 24 hours, sent only when there is something
 * to say, at most once per user per local date (function idempotency, and Resend's key),
 * throttled to Resend's default rate limit. Each digest is its own job row, so a failed
 * one is visible per user in the dead letters.
 */
export const sendDigestEmail = inngest.createFunction(
  {
    id: "send-digest",
    name: "Daily digest: send",
    triggers: [digestRequested],
    idempotency: 'event.data.userId + "-" + event.data.localDate + (has(event.data.jobId) ? "-" + event.data.jobId : "")',
    throttle: { limit: 2, period: "1s" },
    retries: 4,
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
