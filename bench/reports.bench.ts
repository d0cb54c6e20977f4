/**
 * Reports against a production build (`next start`), beside the bare `/api/health` route,
 * over the devstack on PostgreSQL:
 *
 * - enqueue: latency of `POST /api/reports` (sequential requests, after a warm-up);
 * - status: `GET /api/jobs/:id` requests per second (autocannon, 10 connections, 10 s),
 *   its 304 path (`If-None-Match`), and the bare route's for comparison;
 * - a 1,000,000-row activity report: rows per second from request to completed, and the
 *   app's peak resident memory over its idle baseline while generating and downloading.
 */
import autocannon from "autocannon";
import { signUpThroughApp } from "../tests/support/http";
import { rssMiB, startBenchStack } from "./app";
import { ms, percentile } from "./stats";

const ROWS = 1_000_000;

async function loadTest(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, connections: 10, duration: 10, headers });
  return { rps: result.requests.average, non2xx: result.non2xx, p99: result.latency.p99 };
}

export async function run() {
  // This measures enqueue latency, not the rate limit: lift it out of the way (the check
  // itself still runs) for the app this starts.
  process.env.REPORTS_RATE_LIMIT = "1000000";
  const { app, supabase, mailUrl, close } = await startBenchStack();
  delete process.env.REPORTS_RATE_LIMIT;
  try {
    const user = await signUpThroughApp(app.url, "Bench", { authMailUrl: mailUrl });
    const [membership] = await supabase.query<{ org_id: string }>("select org_id from memberships where user_id = $1", [
      user.userId,
    ]);
    const orgId = membership!.org_id;

    // Enqueue latency.
    const enqueue = () =>
      user.fetch("/api/reports", {
        method: "POST",
        body: JSON.stringify({ kind: "summary", from: "2026-01-01", to: "2026-01-01" }),
      });
    for (let i = 0; i < 20; i++) await enqueue();
    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const started = performance.now();
      const response = await enqueue();
      latencies.push(performance.now() - started);
      if (response.status !== 202) throw new Error(`enqueue answered ${response.status}`);
    }
    console.log(`POST /api/reports x${latencies.length}: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}`);

    // Status throughput, beside the bare route.
    const { body: job } = await user.json<{ jobId: string }>("/api/reports", {
      method: "POST",
      body: JSON.stringify({ kind: "summary", from: "2026-01-01", to: "2026-01-01" }),
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the queue drain
    const statusUrl = `${app.url}/api/jobs/${job.jobId}`;
    const etag = (await user.fetch(`/api/jobs/${job.jobId}`)).headers.get("etag") ?? "";
    const cookie = { cookie: user.cookieHeader() };
    const bare = await loadTest(`${app.url}/api/health`, {});
    const status = await loadTest(statusUrl, cookie);
    const notModified = await loadTest(statusUrl, { ...cookie, "if-none-match": etag });
    const pct = (x: number) => `${((x / bare.rps) * 100).toFixed(0)} %`;
    console.log(`GET /api/health (bare)        ${bare.rps.toFixed(0)} req/s`);
    console.log(`GET /api/jobs/:id             ${status.rps.toFixed(0)} req/s (${pct(status.rps)} of bare, p99 ${status.p99} ms, non-2xx ${status.non2xx})`);
    console.log(`GET /api/jobs/:id, 304 path   ${notModified.rps.toFixed(0)} req/s (${pct(notModified.rps)} of bare, p99 ${notModified.p99} ms)`);

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
