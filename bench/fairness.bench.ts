/**
 * Fairness under load, against a production build over the devstack on PostgreSQL:
 * 1,000 one-day report requests (tiny, so this measures scheduling, not SQL) from 50
 * organisations, every client honouring 429 Retry-After:
 *
 * - "big" asks for 500 at once, over 10 connections, as fast as the rate limit lets it;
 * - 48 "steady" organisations ask for 10 or 11 each, one every 12 s: together about what
 *   the local stack can serve beside the big organisation's 2 slots, so their queue stays
 *   short (this measures fairness, not overload: overloaded, everyone waits in run order);
 * - "small" asks for one, as soon as the big organisation's burst has been accepted (its
 *   first 429), so its report is queued behind the big backlog.
 *
 * It prints the total time, the 429s, each organisation's peak concurrency, the small
 * organisation's time from request to a completed job, and the bound it should meet.
 *
 * Concurrency is measured on the wire (tests/fairness/calls.ts): every call the executor
 * makes to generate-report, with its start and end. Inngest limits executing requests (with
 * checkpointing, SDK v4's default and the devstack's, one request runs many steps), and a
 * call in flight is one, so this is the quantity the limit governs. Job started_at and
 * completed_at would not do: a sleeping or waiting run holds no slot, so many runs of one
 * organisation may legitimately be "in progress" at once while only 2 of them execute.
 *
 * The bound: 3 s from request to completed. The small organisation's run waits only for
 * shared slots, never behind the big organisation's backlog: that backlog waits on its own
 * key, which the small run doesn't share, and at most 2 of the 10 slots are big's. So the
 * small report costs its own call plus the steady load's short queue: a few idle reports'
 * time (the bench prints one idle report's), against the minute and more the big backlog
 * takes to drain, which is what it would wait without per-organisation keys.
 */
import { randomUUID } from "node:crypto";
import { peakConcurrency, watchFunctionCalls } from "../tests/fairness/calls";
import { signUpThroughApp, type ApiClient } from "../tests/support/http";
import { startBenchStack } from "./app";
import { percentile } from "./stats";

const BIG_REQUESTS = 500;
const BIG_CONNECTIONS = 10;
const STEADY_ORGS = 48;
const TOTAL_REQUESTS = 1_000;
const STEADY_INTERVAL_MS = 12_000;
/** A burst of 200, then one every 150 ms per organisation: the big org meets it, the others don't. */
const RATE_LIMIT = 200;
const RATE_LIMIT_WINDOW_SECONDS = 30;
const BOUND_SECONDS = 3;

const oneDay = JSON.stringify({ kind: "summary", from: "2026-01-01", to: "2026-01-01" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

type Org = { name: string; client: ApiClient; orgId: string; refusals: number; jobIds: string[] };

/** One report, as a well-behaved client asks: the same Idempotency-Key until accepted, waiting out each 429. */
async function requestReport(org: Org, onRefused?: () => void): Promise<string> {
  const key = randomUUID();
  for (;;) {
    const answer = await org.client.json<{ jobId: string }>("/api/reports", {
      method: "POST",
      headers: { "Idempotency-Key": key },
      body: oneDay,
    });
    if (answer.status === 202) {
      org.jobIds.push(answer.body.jobId);
      return answer.body.jobId;
    }
    if (answer.status !== 429) throw new Error(`${org.name}: POST /api/reports answered ${answer.status}`);
    org.refusals++;
    onRefused?.();
    await sleep(Number(answer.headers.get("retry-after")) * 1000);
  }
}

export async function run() {
  process.env.REPORTS_RATE_LIMIT = String(RATE_LIMIT);
  process.env.REPORTS_RATE_LIMIT_WINDOW_SECONDS = String(RATE_LIMIT_WINDOW_SECONDS);
  const { app, supabase, executor, mailUrl, close } = await startBenchStack();
  delete process.env.REPORTS_RATE_LIMIT;
  delete process.env.REPORTS_RATE_LIMIT_WINDOW_SECONDS;
  try {
    const signUp = async (name: string): Promise<Org> => {
      const client = await signUpThroughApp(app.url, name, { authMailUrl: mailUrl });
      const [membership] = await supabase.query<{ org_id: string }>("select org_id from memberships where user_id = $1", [
        client.userId,
      ]);
      return { name, client, orgId: membership!.org_id, refusals: 0, jobIds: [] };
    };
    const names = ["big", "small", "warm-up", ...Array.from({ length: STEADY_ORGS }, (_, n) => `steady-${n + 1}`)];
    const orgs: Org[] = [];
    for (let i = 0; i < names.length; i += 10) orgs.push(...(await Promise.all(names.slice(i, i + 10).map(signUp))));
    const [big, small, warmUp, ...steady] = orgs as [Org, Org, Org, ...Org[]];
    const completed = async (org: Org, jobId: string) => {
      while ((await org.client.json<{ status: string }>(`/api/jobs/${jobId}`)).body.status !== "completed") await sleep(10);
    };

    // Idle time of one report, after a warm-up (also not counted below).
    let idleMs = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await completed(warmUp, await requestReport(warmUp));
      idleMs = performance.now() - started;
    }

    const serveUrl = `${app.url}/api/inngest`;
    const watch = watchFunctionCalls(serveUrl, "generate-report");
    const limits = executor.registry.functions.get("offload-generate-report")?.config.concurrency;

    // The load.
    const perSteady = steady.map((_, i) => Math.floor((TOTAL_REQUESTS - BIG_REQUESTS - 1) / STEADY_ORGS) + (i < (TOTAL_REQUESTS - BIG_REQUESTS - 1) % STEADY_ORGS ? 1 : 0));
    let burstAccepted!: () => void;
    const burst = new Promise<void>((resolve) => (burstAccepted = resolve));
    const started = performance.now();

    let bigQueue = BIG_REQUESTS;
    const bigDone = Promise.all(
      Array.from({ length: BIG_CONNECTIONS }, async () => {
        while (bigQueue > 0) {
          bigQueue--;
          await requestReport(big, burstAccepted);
        }
      }),
    ).then(burstAccepted);
    const steadyDone = Promise.all(
      steady.map(async (org, i) => {
        await sleep(Math.random() * STEADY_INTERVAL_MS);
        for (let n = 0; n < perSteady[i]!; n++) {
          const asked = performance.now();
          await requestReport(org);
          await sleep(Math.max(0, STEADY_INTERVAL_MS - (performance.now() - asked)));
        }
      }),
    );
    const smallDone = burst.then(async () => {
      const asked = performance.now();
      await completed(small, await requestReport(small));
      return { asked: asked - started, took: performance.now() - asked };
    });
    await Promise.all([bigDone, steadyDone]);

    const loadOrgs = [big, small, ...steady];
    const jobIds = loadOrgs.flatMap((org) => org.jobIds);
    type Row = { org_id: string; status: string; created: number; completed: number | null };
    let rows: Row[] = [];
    while (rows.length < jobIds.length || rows.some((row) => row.status !== "completed" && row.status !== "failed")) {
      await sleep(100);
      rows = await supabase.query<Row>(
        `select org_id, status, (extract(epoch from created_at) * 1000)::float8 as created,
                (extract(epoch from completed_at) * 1000)::float8 as completed
         from jobs where id = any($1::uuid[])`,
        [jobIds],
      );
    }
    const totalMs = performance.now() - started;
    const smallResult = await smallDone;
    watch.stop();

    const failed = rows.filter((row) => row.status === "failed").length;
    const peaks = peakConcurrency(watch.calls, (call) => call.orgId);
    const peakAll = peakConcurrency(watch.calls, () => "all").get("all") ?? 0;
    const others = Math.max(...loadOrgs.slice(1).map((org) => peaks.get(org.orgId) ?? 0));
    const bigRows = rows.filter((row) => row.org_id === big.orgId);
    const bigDrain = Math.max(...bigRows.map((row) => row.completed ?? 0)) - Math.min(...bigRows.map((row) => row.created));
    const steadyLatency = rows
      .filter((row) => row.org_id !== big.orgId && row.org_id !== small.orgId && row.completed !== null)
      .map((row) => row.completed! - row.created);
    const steadyRefusals = steady.reduce((sum, org) => sum + org.refusals, 0);
    const callMs = watch.calls.map((call) => call.endedAt! - call.startedAt);

    console.log(
      `${jobIds.length.toLocaleString("en")} reports from ${loadOrgs.length} organisations (big ${big.jobIds.length}, ` +
        `${steady.length} steady ×${Math.min(...perSteady)}–${Math.max(...perSteady)}, small 1); ` +
        `rate limit ${RATE_LIMIT} per ${RATE_LIMIT_WINDOW_SECONDS} s per organisation; concurrency ${JSON.stringify(limits)}`,
    );
    console.log(`all done in ${seconds(totalMs)}: ${rows.length - failed} completed, ${failed} failed`);
    console.log(`429s (each waited out per Retry-After): big ${big.refusals}, steady ${steadyRefusals}, small ${small.refusals}`);
    console.log(
      `peak requests executing at once (on the wire, ${watch.calls.length.toLocaleString("en")} calls): ` +
        `big ${peaks.get(big.orgId) ?? 0}, any other organisation ${others}, all together ${peakAll}; ` +
        `a call took p50 ${seconds(percentile(callMs, 50))}, p95 ${seconds(percentile(callMs, 95))}`,
    );
    console.log(
      `small organisation's report: ${seconds(smallResult.took)} from request to completed ` +
        `(asked ${seconds(smallResult.asked)} into the load; one report on the idle stack: ${seconds(idleMs)}); ` +
        `bound ${BOUND_SECONDS} s: ${smallResult.took <= BOUND_SECONDS * 1000 ? "within" : "EXCEEDED"}`,
    );
    console.log(
      `for contrast: the big organisation's 500 took ${seconds(bigDrain)} from first request to last completed; ` +
        `steady organisations' reports p50 ${seconds(percentile(steadyLatency, 50))}, p95 ${seconds(percentile(steadyLatency, 95))}, ` +
        `max ${seconds(Math.max(...steadyLatency))} (created to completed)`,
    );
  } finally {
    await close();
  }
}
