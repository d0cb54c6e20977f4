/**
 * The daily digest's fan-out, against a production build over the devstack on PostgreSQL:
 * the time from the cron firing to every due user's `app/digest.requested` being queued,
 * and what it costs in calls to the app, event API calls and database writes.
 *
 * 1. 10,000 opted-in users, all with activity: 10,000 events to queue (the target is < 3 s).
 * 2. 10,000 more, of whom 1 in 100 had activity: a typical morning, where the pages mostly
 *    record quiet users' day as done and few events go out.
 *
 * Sending the digests is throttled to Resend's 2/s and not timed.
 */
import type { InngestDevServer } from "../devstack/inngest/server";
import type { SupabaseStack } from "../devstack/supabase/server";
import { startBenchStack } from "./app";

const USERS = 10_000;

export async function run() {
  const stack = await startBenchStack();
  try {
    // A fixed-offset zone where it is about noon now, so every user is due.
    const offset = 12 - new Date().getUTCHours();
    const zone = offset >= 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
    await seedUsers(stack.supabase, { prefix: "busy", zone, activeEvery: 1 });
    await fanOut(stack.supabase, stack.executor, "10,000 users, all with activity");
    // As if the first 10,000 digests had gone out, so only the new users are due.
    await stack.supabase.query("update public.profiles set last_digest_on = (now() at time zone $1)::date where email like 'busy-%'", [zone]);
    await seedUsers(stack.supabase, { prefix: "quiet", zone, activeEvery: 100 });
    await fanOut(stack.supabase, stack.executor, "10,000 more users, 1 in 100 with activity");
  } finally {
    // Stop the throttled sends first: while the executor keeps calling it, `next start`
    // keeps its connections busy and doesn't finish shutting down.
    await stack.executor.close();
    await stack.close();
  }
}

/** Users straight into auth.users (the sign-up trigger gives each a profile and an organisation). */
async function seedUsers(supabase: SupabaseStack, { prefix, zone, activeEvery }: { prefix: string; zone: string; activeEvery: number }) {
  await supabase.query(
    `insert into auth.users (id, email, aud, role, raw_user_meta_data)
     select gen_random_uuid(), '${prefix}-' || i || '@example.com', 'authenticated', 'authenticated', '{}'::jsonb
     from generate_series(1, ${USERS}) i`,
  );
  await supabase.query(
    `update public.profiles set digest_opt_in = true, time_zone = $1 where email like $2`,
    [zone, `${prefix}-%`],
  );
  await supabase.query(
    `insert into public.activities (org_id, type, actor, amount, occurred_at)
     select m.org_id, 'login', p.email, 0, now() - interval '1 hour'
     from public.profiles p join public.memberships m on m.user_id = p.id
     where p.email like $1 and split_part(split_part(p.email, '@', 1), '-', 2)::int % $2 = 0`,
    [`${prefix}-%`, activeEvery],
  );
}

async function fanOut(supabase: SupabaseStack, executor: InngestDevServer, label: string) {
  const [due] = await supabase.query<{ n: number }>("select count(*)::int as n from public.digest_recipients_due(100000, now())");

  // Count what crosses the wire, from inside this process: the executor's calls to the app
  // (it uses the global fetch) and what the app posts to the event API.
  const calls = { app: 0, eventApi: 0, events: 0, largestBody: 0 };
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).includes("fnId=offload-daily-digest")) calls.app++;
    return realFetch(input, init);
  };
  const realSend = executor.executor.send.bind(executor.executor);
  executor.executor.send = (events) => {
    // The executor also emits its own lifecycle events through send(); count only the fan-out's.
    if (events.some((event) => event.name === "app/digest.requested")) {
      calls.eventApi++;
      calls.events += events.length;
      calls.largestBody = Math.max(calls.largestBody, JSON.stringify(events).length);
    }
    return realSend(events);
  };
  const started = performance.now();
  try {
    const invoked = await fetch(`${executor.url}/v1/functions/offload-daily-digest/invoke`, { method: "POST", body: "{}" });
    if (!invoked.ok) throw new Error(`invoke answered ${invoked.status}`);
    const { data } = (await invoked.json()) as { data: { run_id: string } };
    let run;
    while (!(run = executor.store.runs.get(data.run_id))?.endedAt) await new Promise((resolve) => setTimeout(resolve, 10));
    const seconds = (performance.now() - started) / 1000;
    const output = run.output as { pages: number; queued: number; settled: number };
    console.log(`${label}: ${due?.n} due`);
    console.log(`  ${seconds.toFixed(2)} s to queue ${output.queued} digests (run ${run.status}, ${run.steps.length} steps)`);
    const stepMs = run.steps.map((step) => `${step.name} ${(step.endedAt ?? step.startedAt) - step.startedAt}`);
    console.log(`  step times (ms): ${stepMs.join(", ")}`);
    console.log(
      `  HTTP: ${calls.app} calls from the executor to the app, ${output.pages} Data API calls, ` +
        `${calls.eventApi} event API calls (${calls.events} events, the largest ${(calls.largestBody / 1024).toFixed(0)} KiB)`,
    );
    console.log(
      `  database: ${output.pages} statements (one digest_fan_out_page per page), ` +
        `${output.settled} rows written (quiet users' day recorded as done)`,
    );
  } finally {
    globalThis.fetch = realFetch;
    executor.executor.send = realSend;
  }
}
