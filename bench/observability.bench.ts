/**
 * What logging and tracing cost on the hottest route: `GET /api/jobs/:id` (the page's poll)
 * requests per second with exporters off (no OTEL_EXPORTER_OTLP_ENDPOINT, LOG_LEVEL=silent)
 * and on (spans exported to the devstack's OTLP receiver, LOG_LEVEL=info), as two `next start`
 * servers over the same production build and the same devstack, taking turns (autocannon,
 * 10 connections, rounds of 5 s) so both see the same machine. Target: on ≥ 90 % of off.
 *
 * Also the spans the receiver got per request sent: a batch processor that can't keep up
 * drops spans instead of slowing requests, which would flatter the "on" figure.
 */
import autocannon from "autocannon";
import { startTraceReceiver } from "../devstack/otel/server";
import { freePort } from "../tests/support/free-port";
import { signUpThroughApp } from "../tests/support/http";
import { startBenchStack, startProductionApp } from "./app";
import { percentile } from "./stats";

const ROUNDS = 3;
const ROUND_SECONDS = 5;
const WARM_UP_SECONDS = 2;

type Target = { label: string; url: string };

export async function run() {
  const receiver = await startTraceReceiver({ port: await freePort() });
  // The stack's own server is the "off" one: nothing exported, nothing logged.
  process.env.LOG_LEVEL = "silent";
  const stack = await startBenchStack({ functions: "later" });
  delete process.env.LOG_LEVEL;
  const traced = await startProductionApp(
    await freePort(),
    {
      SUPABASE_URL: stack.supabase.url,
      RESEND_BASE_URL: stack.mailUrl,
      INNGEST_DEV: stack.executor.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOG_LEVEL: "info",
    },
    { build: false },
  );
  try {
    const user = await signUpThroughApp(stack.app.url, "Bench", { authMailUrl: stack.mailUrl });
    const { body: job } = await user.json<{ jobId: string }>("/api/reports", {
      method: "POST",
      body: JSON.stringify({ kind: "summary", from: "2026-01-01", to: "2026-01-01" }),
    });
    const headers = { cookie: user.cookieHeader() };
    const targets: Target[] = [
      { label: "off (no exporter, LOG_LEVEL=silent)", url: `${stack.app.url}/api/jobs/${job.jobId}` },
      { label: "on  (OTLP export, LOG_LEVEL=info)", url: `${traced.url}/api/jobs/${job.jobId}` },
    ];
    for (const target of targets) {
      const check = await fetch(target.url, { headers });
      if (check.status !== 200) throw new Error(`${target.label} answered ${check.status}`);
      await autocannon({ url: target.url, connections: 10, duration: WARM_UP_SECONDS, headers });
    }

    const spansBefore = receiver.store.receivedSpans;
    const totals = targets.map(() => ({ sent: 0, seconds: 0, p50s: [] as number[], p99: 0, unexpected: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [t, target] of targets.entries()) {
        const result = await autocannon({ url: target.url, connections: 10, duration: ROUND_SECONDS, headers });
        const total = totals[t]!;
        total.sent += result.requests.sent;
        total.seconds += result.duration;
        total.p50s.push(result.latency.p50);
        total.p99 = Math.max(total.p99, result.latency.p99);
        total.unexpected += result.requests.total - result["2xx"];
      }
    }
    // The last batch leaves within the processor's schedule (5 s by default): wait for it.
    const tracedSent = totals[1]!.sent;
    let spans = receiver.store.receivedSpans - spansBefore;
    for (let waited = 0, last = -1; waited < 15_000 && spans !== last; waited += 1_000) {
      last = spans;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      spans = receiver.store.receivedSpans - spansBefore;
    }

    console.log(`GET /api/jobs/:id, autocannon 10 connections, ${ROUNDS} rounds of ${ROUND_SECONDS} s each, taking turns:`);
    console.log(`${"".padEnd(40)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}`);
    const rps = totals.map((total) => total.sent / total.seconds);
    for (const [t, target] of targets.entries()) {
      const total = totals[t]!;
      console.log(
        target.label.padEnd(40) +
          rps[t]!.toFixed(0).padStart(8) +
          percentile(total.p50s, 50).toFixed(1).padStart(9) +
          total.p99.toFixed(1).padStart(9) +
          (total.unexpected > 0 ? `  (${total.unexpected} answers not 2xx)` : ""),
      );
    }
    const overhead = 1 - rps[1]! / rps[0]!;
    console.log(
      `overhead of logging + tracing: ${(overhead * 100).toFixed(1)} % of req/s (target ≤ 10 %); ` +
        `${(spans / tracedSent).toFixed(2)} spans received per traced request`,
    );
  } finally {
    await traced.stop();
    await stack.close();
    await receiver.close();
  }
}
