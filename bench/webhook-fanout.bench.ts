/**
 * Webhook fan-out, against a production build over the devstack on PostgreSQL: one job's
 * end announced to 1,000 endpoints of one organisation, all pointing at a local receiver.
 * Reports the time from `inngest/function.finished` to the receiver having every message
 * (and the log saying delivered), the executor's calls to the app it took, and a floor
 * measured in the same run: the same 1,000 signed POSTs made straight from this process,
 * 100 at a time (the function's total concurrency), with no executor, app or database.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { postWebhook } from "../lib/webhooks/http-delivery";
import { signedHeaders } from "../lib/webhooks/signing";
import { freePort } from "../tests/support/free-port";
import { startBenchStack } from "./app";

const ENDPOINTS = 1_000;
const FLOOR_CONCURRENCY = 100;

export async function run() {
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(204).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => receiver.listen(port, "127.0.0.1", resolve));
  const stack = await startBenchStack();
  try {
    const { supabase, executor } = stack;
    const [user] = await supabase.query<{ id: string }>(
      `insert into auth.users (id, email, aud, role, raw_user_meta_data)
       values (gen_random_uuid(), 'webhooks-' || gen_random_uuid() || '@example.com', 'authenticated', 'authenticated', '{}'::jsonb)
       returning id`,
    );
    const [org] = await supabase.query<{ org_id: string }>("select org_id from public.memberships where user_id = $1", [user!.id]);
    const orgId = org!.org_id;
    await supabase.query(
      `with endpoints as (
         insert into public.webhook_endpoints (org_id, url, event_types)
         select $1, 'http://127.0.0.1:' || $2::int || '/hook/' || i, array['job.completed']
         from generate_series(1, $3::int) i
         returning id
       )
       insert into public.webhook_secrets (endpoint_id, secret)
       select id, 'whsec_' || encode(sha256(gen_random_uuid()::text::bytea), 'base64') from endpoints`,
      [orgId, port, ENDPOINTS],
    );
    const [job] = await supabase.query<{ id: string }>(
      `insert into public.jobs (org_id, user_id, type, status, started_at, completed_at, progress)
       values ($1, $2, 'welcome-email', 'completed', now(), now(), 100) returning id`,
      [orgId, user!.id],
    );

    // The executor's calls to the app, per function (it uses the global fetch).
    const calls = { fanOut: 0, deliver: 0 };
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes("fnId=offload-webhook-job-events")) calls.fanOut++;
      if (url.includes("fnId=offload-deliver-webhook")) calls.deliver++;
      return realFetch(input, init);
    };
    const started = performance.now();
    try {
      executor.executor.send([
        {
          name: "inngest/function.finished",
          data: { function_id: "offload-welcome-email", run_id: randomUUID(), event: { id: randomUUID(), data: { jobId: job!.id } }, result: null },
        },
      ]);
      let firstAt: number | null = null;
      while (received < ENDPOINTS) {
        if (firstAt === null && received > 0) firstAt = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const allReceived = performance.now();
      let delivered = 0;
      while (delivered < ENDPOINTS) {
        const [row] = await supabase.query<{ n: number }>(
          "select count(*)::int as n from public.webhook_messages where job_id = $1 and status = 'delivered'",
          [job!.id],
        );
        delivered = row!.n;
        if (delivered < ENDPOINTS) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const allRecorded = performance.now();
      const [attempts] = await supabase.query<{ n: number }>(
        "select count(*)::int as n from public.webhook_attempts a join public.webhook_messages m on m.id = a.message_id where m.job_id = $1",
        [job!.id],
      );
      const s = (at: number) => ((at - started) / 1000).toFixed(2);
      console.log(`one job.completed to ${ENDPOINTS} endpoints (one organisation), receiver answering 204`);
      console.log(`  first message at ${firstAt === null ? "?" : s(firstAt)} s, all ${ENDPOINTS} received at ${s(allReceived)} s, all recorded delivered at ${s(allRecorded)} s`);
      console.log(`  ${attempts!.n} attempts recorded`);
      console.log(
        `  executor calls to the app: ${calls.fanOut} for the fan-out, ${calls.deliver} for deliveries ` +
          `(${(calls.deliver / ENDPOINTS).toFixed(2)} per message)`,
      );
    } finally {
      globalThis.fetch = realFetch;
    }

    // The floor: the same number of signed POSTs to the same receiver, from this process.
    received = 0;
    const body = JSON.stringify({ type: "job.completed", timestamp: new Date().toISOString(), data: {} });
    const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const floorStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: FLOOR_CONCURRENCY }, async () => {
        while (next < ENDPOINTS) {
          const i = next++;
          const headers = signedHeaders({ messageId: `msg_floor${i}`, body, secrets: [secret] });
          const result = await postWebhook({ url: new URL(`http://127.0.0.1:${port}/hook/${i}`), headers, body, safety: { allowLoopback: true } });
          if (result.status !== 204) throw new Error(`floor POST answered ${result.status ?? result.error?.kind}`);
        }
      }),
    );
    console.log(
      `  floor: ${ENDPOINTS} signed POSTs straight from this process, ${FLOOR_CONCURRENCY} at a time: ` +
        `${((performance.now() - floorStarted) / 1000).toFixed(2)} s`,
    );
  } finally {
    await stack.executor.close();
    await stack.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
