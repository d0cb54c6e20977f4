import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { REPORT_CONCURRENCY_PER_ORG, REPORT_CONCURRENCY_TOTAL } from "@/inngest/functions/generate-report";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { serviceClient } from "../support/supabase";
import { peakConcurrency, watchFunctionCalls, type CallWatch } from "./calls";

/** Small enough to reach in a test; the window is long, so no token comes back meanwhile. */
const RATE_LIMIT = 6;
const RATE_LIMIT_WINDOW_SECONDS = 3600;
const oneDay = { kind: "summary", from: "2026-01-01", to: "2026-01-01" };

/**
 * Fairness and limits through the real app and executor, at a small scale and without
 * timing: per-organisation concurrency, no organisation held up by another's backlog, pro
 * before free, and the rate limit on POST /api/reports. Calls to generate-report are held
 * in flight (see calls.ts) to fill every slot, so who gets the next one is deterministic.
 */
describe(`fairness and limits (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let watch: CallWatch;

  const orgOf = async (client: ApiClient) =>
    (await db.from("memberships").select("org_id").eq("user_id", client.userId).single()).data!.org_id;

  const requestReport = (client: ApiClient, key: string = randomUUID()) =>
    client.json<{ jobId?: string; error?: { code: string; message: string } }>("/api/reports", {
      method: "POST",
      headers: { "Idempotency-Key": key },
      body: JSON.stringify(oneDay),
    });

  async function requestReports(client: ApiClient, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { status, body } = await requestReport(client);
      expect(status).toBe(202);
      ids.push(body.jobId!);
    }
    return ids;
  }

  /** Waits for the watched calls or the database to say so. */
  const until = (probe: () => boolean | Promise<boolean>, what: string) =>
    vi.waitFor(
      async () => {
        if (!(await probe())) throw new Error(`still waiting for ${what}`);
      },
      { timeout: 60_000, interval: 50 },
    );

  const inFlightByOrg = () => {
    const counts = new Map<string, number>();
    for (const call of watch.inFlight()) counts.set(call.orgId, (counts.get(call.orgId) ?? 0) + 1);
    return counts;
  };

  beforeAll(async () => {
    stack = await startAppStack({
      env: {
        REPORTS_RATE_LIMIT: String(RATE_LIMIT),
        REPORTS_RATE_LIMIT_WINDOW_SECONDS: String(RATE_LIMIT_WINDOW_SECONDS),
      },
    });
    watch = watchFunctionCalls(`${stack.app.url}/api/inngest`, "generate-report");
  }, 180_000);

  afterAll(async () => {
    watch?.releaseAll();
    watch?.stop();
    await stack?.close();
  });

  it("caps each organisation, lets no backlog hold up another, starts pro before free, and finishes every job", async () => {
    const [big, b, c, d, e, free, pro] = await Promise.all(
      ["Big", "B", "C", "D", "E", "Free", "Pro"].map((name) => signUpThroughApp(stack.app.url, name)),
    );
    const [bigOrg, freeOrg, proOrg] = await Promise.all([orgOf(big!), orgOf(free!), orgOf(pro!)]);
    await db.from("organisations").update({ plan: "pro" }).eq("id", proOrg);

    // Every call stays in flight, holding its slots, until released.
    watch.hold();
    const jobIds = await requestReports(big!, RATE_LIMIT);
    for (const client of [b, c, d, e]) jobIds.push(...(await requestReports(client!, 2)));

    // The big organisation has 2 of its 6 running; the other four aren't held up behind
    // its 4 waiting runs, and together they fill the 10 shared slots.
    await until(() => watch.inFlight().length === REPORT_CONCURRENCY_TOTAL, "every shared slot to be taken");
    const held = inFlightByOrg();
    expect(held.get(bigOrg)).toBe(REPORT_CONCURRENCY_PER_ORG);
    expect([...held.values()]).toEqual(Array(5).fill(REPORT_CONCURRENCY_PER_ORG));

    // A free organisation asks, then a pro one: both wait for a shared slot.
    jobIds.push(...(await requestReports(free!, 1)), ...(await requestReports(pro!, 1)));
    expect(watch.inFlight().some((call) => call.orgId === freeOrg || call.orgId === proOrg)).toBe(false);

    // One slot frees: the pro run gets it, though the free run (and the big org's) waited longer.
    watch.releaseOne();
    await until(() => watch.inFlight().some((call) => call.orgId === proOrg), "the pro run to start");
    expect(watch.calls.some((call) => call.orgId === freeOrg)).toBe(false);

    watch.releaseAll();
    await until(async () => {
      const { data } = await db.from("jobs").select("status").in("id", jobIds);
      return data?.length === jobIds.length && data.every((job) => job.status === "completed");
    }, "every report to complete");

    const peaks = peakConcurrency(watch.calls, (call) => call.orgId);
    for (const peak of peaks.values()) expect(peak).toBeLessThanOrEqual(REPORT_CONCURRENCY_PER_ORG);
    expect(peaks.size).toBe(7);
    expect(peakConcurrency(watch.calls, () => "all").get("all")).toBeLessThanOrEqual(REPORT_CONCURRENCY_TOTAL);
  }, 180_000);

  it("answers 429 over the rate limit, with Retry-After and a message, and writes nothing", async () => {
    const client = await signUpThroughApp(stack.app.url, "Eager");
    const orgId = await orgOf(client);
    const keys = Array.from({ length: RATE_LIMIT }, () => randomUUID());
    const accepted = [];
    for (const key of keys) accepted.push(await requestReport(client, key));
    expect(accepted.map((answer) => answer.status)).toEqual(Array(RATE_LIMIT).fill(202));

    const refused = await requestReport(client);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe("rate_limited");
    expect(refused.body.error?.message).toMatch(/^Too many report requests: your organisation may ask for 6 every .+ Try again in .+\.$/);
    const retryAfter = refused.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(RATE_LIMIT_WINDOW_SECONDS / RATE_LIMIT);

    // A retry of a request already accepted isn't new work: it gets its job, limit or not.
    const retried = await requestReport(client, keys[0]);
    expect(retried.status).toBe(202);
    expect(retried.body.jobId).toBe(accepted[0]!.body.jobId);

    // Nothing of the refused request was written or sent.
    const jobs = await db.from("jobs").select("id", { count: "exact", head: true }).eq("org_id", orgId).eq("type", "report");
    const reports = await db.from("reports").select("job_id", { count: "exact", head: true }).eq("org_id", orgId);
    expect([jobs.count, reports.count]).toEqual([RATE_LIMIT, RATE_LIMIT]);
    const events = stack.executor.store.events.filter((event) => event.name === "app/report.requested" && event.data.orgId === orgId);
    expect(events).toHaveLength(RATE_LIMIT);
  });
});
