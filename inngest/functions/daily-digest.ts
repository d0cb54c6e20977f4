import { digestFanOutPage, markDigestDone, sendDigest, summarizeActivity } from "@/lib/digest/digest";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";
import { cronSchedules, digestEventId, digestRequested, manualRunTrigger } from "../events";

/**
 * Users looked at per step: 10,000 users are 5 steps of a few hundred ms each. Fewer,
 * bigger steps gained nothing in `npm run bench digest`; smaller ones cost a call each.
 */
const PAGE_SIZE = 2_000;
/**
 * Events per event API call. A digest event is ~280 bytes, so 500 are ~140 KB: about half
 * the free plan's 256 KiB request limit, and far below Inngest's 5,000 events per request.
 */
const EVENTS_PER_SEND = 500;
/**
 * Inngest runs at most 1,000 steps: the time, then up to 990 pages (1,980,000 users). Any
 * beyond are still due, so the next hourly run takes them.
 */
const MAX_PAGES = 990;

/**
 * Every hour, finds the users whose local morning has come and who haven't had today's
 * digest, a page at a time, and fans out one `app/digest.requested` per user with
 * something to say, in batched sends. Quiet users are settled by the page's own query
 * (see digest_fan_out_page), so they cost no event, no run and no job row.
 *
 * A page is one step that reads and sends, and returns only counts and a cursor. Sending
 * inside the step rather than with a `step.sendEvent` per page halves the steps, and keeps
 * the recipients out of the run's state, which the SDK is sent and replays on every call.
 * A crash re-runs the page it stopped in; the event ids (user + local date) make whatever
 * it had already sent, or the next hour's run, start nothing twice.
 */
export const dailyDigest = inngest.createFunction(
  {
    id: "daily-digest",
    name: "Daily digest: fan out",
    triggers: [{ cron: cronSchedules["daily-digest"] }, manualRunTrigger("daily-digest")],
    concurrency: 1,
  },
  async ({ step }) => {
    const asOf = await step.run("as-of", () => new Date().toISOString());
    const totals = { pages: 0, queued: 0, settled: 0 };
    let after: string | null = null;
    while (totals.pages < MAX_PAGES) {
      const cursor = after;
      const page: PageOutcome = await step.run(`page-${totals.pages}`, () => fanOutPage(cursor, asOf));
      totals.pages++;
      totals.queued += page.queued;
      totals.settled += page.settled;
      if (page.scanned < PAGE_SIZE || !page.last) break;
      after = page.last;
    }
    return totals;
  },
);

/** What a page step returns: counts and the cursor, never the recipients. */
type PageOutcome = { scanned: number; last: string | null; settled: number; queued: number };

/** Reads the page after `after` and queues a digest for each user in it with something to say. */
async function fanOutPage(after: string | null, asOf: string): Promise<PageOutcome> {
  const { scanned, last, settled, due } = await digestFanOutPage(createServiceSupabase(), {
    after,
    limit: PAGE_SIZE,
    now: new Date(asOf),
  });
  const events = due.map((recipient) =>
    digestRequested.create({ ...recipient, asOf }, { id: digestEventId(recipient.userId, recipient.localDate) }),
  );
  const batches = Array.from({ length: Math.ceil(events.length / EVENTS_PER_SEND) }, (_, i) =>
    events.slice(i * EVENTS_PER_SEND, (i + 1) * EVENTS_PER_SEND),
  );
  await Promise.all(batches.map((batch) => inngest.send(batch)));
  return { scanned, last, settled, queued: events.length };
}

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
