/**
 * Reports against a production build (`next start`) over the devstack on PostgreSQL.
 *
 * The request path, each route beside its floor (app/api/bench/**, built only into this
 * build: the least work the request could do, with no wrapper, session check or
 * validation) and the bare `/api/health`, with the requests each one made of Supabase and
 * of Inngest, counted at the devstack:
 *
 * - poll: `GET /api/jobs/:id` requests per second (autocannon, 10 connections, rounds
 *   of 5 s, app and floor taking turns), and its 304 path (`If-None-Match`);
 * - enqueue: latency of `POST /api/reports` (sequential requests after a warm-up, app and
 *   floor taking turns so both see the same machine).
 *
 * Functions aren't synced during these, so no run's own calls are counted (or compete).
 * Then a 1,000,000-row activity report: rows per second from request to completed, and
 * the app's peak resident memory over its idle baseline while generating and downloading.
 */
import autocannon from "autocannon";
import { signUpThroughApp, type ApiClient } from "../tests/support/http";
import { rssMiB, startBenchStack, type BackendCalls } from "./app";
import { percentile } from "./stats";

const ROWS = 1_000_000;
const ENQUEUES = 300;

type Row = { label: string; rps?: number; p50: number; p99: number; supabase: number; inngest: number; note?: string };

const ROUNDS = 3;
const ROUND_SECONDS = 5;

type LoadTarget = { label: string; url: string; headers: Record<string, string>; expect: "2xx" | "3xx" };

/**
 * Loads each target in turn (autocannon, 10 connections, ROUND_SECONDS each), ROUNDS times,
 * so that a route and its floor see the same machine however its load drifts. Per target:
 * req/s over all its rounds, the median round's p50, the worst round's p99, and the
 * backend calls per request sent.
 */
async function loadRounds(calls: BackendCalls, targets: LoadTarget[]): Promise<Row[]> {
  const totals = targets.map(() => ({ sent: 0, seconds: 0, p50s: [] as number[], p99: 0, supabase: 0, inngest: 0, unexpected: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [t, target] of targets.entries()) {
      const before = { ...calls };
      const result = await autocannon({ url: target.url, connections: 10, duration: ROUND_SECONDS, headers: target.headers });
      const total = totals[t]!;
      total.sent += result.requests.sent;
      total.seconds += result.duration;
      total.p50s.push(result.latency.p50);
      total.p99 = Math.max(total.p99, result.latency.p99);
      total.supabase += calls.supabase - before.supabase;
      total.inngest += calls.inngest - before.inngest;
      total.unexpected += result.requests.total - result[target.expect];
    }
  }
  return targets.map((target, t): Row => {
    const total = totals[t]!;
    return {
      label: target.label,
      rps: total.sent / total.seconds,
      p50: percentile(total.p50s, 50),
      p99: total.p99,
      supabase: total.supabase / total.sent,
      inngest: total.inngest / total.sent,
      ...(total.unexpected > 0 && { note: `${total.unexpected} answers not ${target.expect}` }),
    };
  });
}

/** Sequential requests, `targets` taking turns; latency and backend calls per request of each. */
async function sequential(calls: BackendCalls, targets: { label: string; send: () => Promise<Response>; status: number }[], n: number) {
  const samples = targets.map(() => ({ latencies: [] as number[], supabase: 0, inngest: 0 }));
  for (let i = 0; i < n; i++) {
    for (const [t, target] of targets.entries()) {
      const before = { ...calls };
      const started = performance.now();
      const response = await target.send();
      await response.arrayBuffer();
      samples[t]!.latencies.push(performance.now() - started);
      if (response.status !== target.status) throw new Error(`${target.label} answered ${response.status}`);
      samples[t]!.supabase += calls.supabase - before.supabase;
      samples[t]!.inngest += calls.inngest - before.inngest;
    }
  }
  return targets.map((target, t): Row => {
    const { latencies, supabase, inngest } = samples[t]!;
    return { label: target.label, p50: percentile(latencies, 50), p99: percentile(latencies, 99), supabase: supabase / n, inngest: inngest / n };
  });
}

function printTable(rows: Row[]) {
  const cell = (value: string, width: number) => value.padStart(width);
  console.log(`${"".padEnd(36)}${cell("req/s", 8)}${cell("p50 ms", 9)}${cell("p99 ms", 9)}${cell("Supabase/req", 14)}${cell("Inngest/req", 13)}`);
  for (const row of rows) {
    console.log(
      row.label.padEnd(36) +
        cell(row.rps === undefined ? "" : row.rps.toFixed(0), 8) +
        cell(row.p50.toFixed(1), 9) +
        cell(row.p99.toFixed(1), 9) +
        cell(row.supabase.toFixed(2), 14) +
        cell(row.inngest.toFixed(2), 13) +
        (row.note ? `  (${row.note})` : ""),
    );
  }
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

export async function run() {
  // This measures enqueue latency, not the rate limit: lift it out of the way (the check
  // itself still runs) for the app this starts.
  process.env.REPORTS_RATE_LIMIT = "1000000";
  const { app, supabase, calls, syncFunctions, mailUrl, close } = await startBenchStack({ functions: "later" });
  delete process.env.REPORTS_RATE_LIMIT;
  try {
    const user: ApiClient = await signUpThroughApp(app.url, "Bench", { authMailUrl: mailUrl });
    const [membership] = await supabase.query<{ org_id: string }>("select org_id from memberships where user_id = $1", [
      user.userId,
    ]);
    const orgId = membership!.org_id;

    // Enqueue: the app and its floor, taking turns.
    const body = JSON.stringify({ kind: "summary", from: "2026-01-01", to: "2026-01-01" });
    const enqueueTargets = [
      { label: "POST /api/reports  floor", send: () => user.fetch("/api/bench/reports", { method: "POST", body }), status: 202 },
      { label: "POST /api/reports  app", send: () => user.fetch("/api/reports", { method: "POST", body }), status: 202 },
      { label: "GET /api/health  (bare)", send: () => fetch(`${app.url}/api/health`), status: 200 },
    ];
    await sequential(calls, enqueueTargets, 20); // warm-up
    const [enqueueFloor, enqueueApp, bareSequential] = await sequential(calls, enqueueTargets, ENQUEUES);

    // Poll: a pending job (nothing runs), which no write changes meanwhile.
    const { body: job } = await user.json<{ jobId: string }>("/api/reports", { method: "POST", body });
    const etag = (await user.fetch(`/api/jobs/${job.jobId}`)).headers.get("etag") ?? "";
    const floorEtag = (await user.fetch(`/api/bench/jobs/${job.jobId}`)).headers.get("etag") ?? "";
    if (etag !== floorEtag) throw new Error(`the floor's ETag ${floorEtag} isn't the app's ${etag}`);
    const cookie = { cookie: user.cookieHeader() };
    const conditional = { ...cookie, "if-none-match": etag };
    const [bare, pollFloor, pollApp, notModifiedFloor, notModifiedApp] = (await loadRounds(calls, [
      { label: "GET /api/health  (bare)", url: `${app.url}/api/health`, headers: {}, expect: "2xx" },
      { label: "GET /api/jobs/:id  floor", url: `${app.url}/api/bench/jobs/${job.jobId}`, headers: cookie, expect: "2xx" },
      { label: "GET /api/jobs/:id  app", url: `${app.url}/api/jobs/${job.jobId}`, headers: cookie, expect: "2xx" },
      { label: "GET /api/jobs/:id 304  floor", url: `${app.url}/api/bench/jobs/${job.jobId}`, headers: conditional, expect: "3xx" },
      { label: "GET /api/jobs/:id 304  app", url: `${app.url}/api/jobs/${job.jobId}`, headers: conditional, expect: "3xx" },
    ])) as [Row, Row, Row, Row, Row];

    console.log(
      `Request path (${ENQUEUES} sequential enqueues each; polls: autocannon, 10 connections, ` +
        `${ROUNDS} rounds of ${ROUND_SECONDS} s each, taking turns):`,
    );
    printTable([bare, pollFloor, pollApp, notModifiedFloor, notModifiedApp, bareSequential!, enqueueFloor!, enqueueApp!]);
    const ratio = (app: Row, floor: Row) => app.rps! / floor.rps!;
    console.log(
      `poll: app ${pct(ratio(pollApp, pollFloor))} of the floor's req/s (304 path ${pct(ratio(notModifiedApp, notModifiedFloor))}), ` +
        `${pollApp.supabase.toFixed(2)} backend calls per request (304 path ${notModifiedApp.supabase.toFixed(2)}); target ≥ 90 %, 1 call`,
    );
    console.log(
      `enqueue: app p99 ${enqueueApp!.p99.toFixed(1)} ms = ${(enqueueApp!.p99 / enqueueFloor!.p99).toFixed(2)}× the floor's, ` +
        `${(enqueueApp!.supabase + enqueueApp!.inngest).toFixed(2)} backend calls per request; target p99 < 50 ms, ≤ 1.5×, ≤ 2 calls`,
    );

    await syncFunctions();
    // A million-row report.
    for (let done = 0; done < ROWS; done += 250_000) {
      await supabase.query("select public.generate_activity($1, $2, $3, $4)", [
        orgId,
        250_000,
        new Date(Date.UTC(2026, 0, 1) + done * 2_592).toISOString(),
        new Date(Date.UTC(2026, 0, 1) + (done + 250_000) * 2_592).toISOString(),
      ]);
    }
    const baseline = rssMiB(app.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(app.pid))), 50);
    const started = performance.now();
    const { body: big } = await user.json<{ jobId: string }>("/api/reports", {
      method: "POST",
      body: JSON.stringify({ kind: "activity", from: "2026-01-01", to: "2026-01-30" }),
    });
    let result: { rowCount: number } | null = null;
    while (!result) {
      const { body } = await user.json<{ status: string; result: { rowCount: number } | null; error: string | null }>(
        `/api/jobs/${big.jobId}`,
      );
      if (body.status === "failed" || body.status === "cancelled") throw new Error(`report ${body.status}: ${body.error}`);
      if (body.status === "completed") result = body.result;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const generatePeak = peak;
    const downloadStarted = performance.now();
    const download = await user.fetch(`/api/reports/${big.jobId}/download`);
    let bytes = 0;
    const reader = download.body!.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.byteLength;
    const downloadSeconds = (performance.now() - downloadStarted) / 1000;
    clearInterval(sampler);
    console.log(
      `${result.rowCount.toLocaleString("en")}-row report: ${seconds.toFixed(1)} s, ${Math.round(result.rowCount / seconds).toLocaleString("en")} rows/s; ` +
        `app RSS ${baseline.toFixed(0)} MiB idle, +${(generatePeak - baseline).toFixed(0)} MiB peak while generating`,
    );
    console.log(
      `download: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${downloadSeconds.toFixed(1)} s; app RSS +${(peak - baseline).toFixed(0)} MiB peak over idle, generating and downloading`,
    );
  } finally {
    await close();
  }
}
