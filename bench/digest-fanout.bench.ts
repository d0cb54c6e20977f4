/**
 * The daily digest's fan-out for 10,000 opted-in users, against a production build over
 * the devstack on PostgreSQL: the time from the cron firing to every user's
 * `app/digest.requested` being queued, and what it costs in steps, event API calls and
 * database round trips. (Sending the digests is throttled to Resend's 2/s and not timed.)
 */
import { startBenchStack } from "./app";

const USERS = 10_000;

export async function run() {
  const { supabase, executor, close } = await startBenchStack();
  try {
    // Users straight into auth.users: the sign-up trigger gives each a profile and an organisation.
    await supabase.query(
      `insert into auth.users (id, email, aud, role, raw_user_meta_data)
       select gen_random_uuid(), 'digest-' || i || '@example.com', 'authenticated', 'authenticated', '{}'::jsonb
       from generate_series(1, ${USERS}) i`,
    );
    // A fixed-offset zone where it is about noon now, so every user is due.
    const offset = 12 - new Date().getUTCHours();
    const zone = offset >= 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
    await supabase.query("update public.profiles set digest_opt_in = true, time_zone = $1", [zone]);
    const [due] = await supabase.query<{ n: number }>(
      "select count(*)::int as n from public.digest_recipients_due(100000, now())",
    );

    const started = performance.now();
    const invoked = await fetch(`${executor.url}/v1/functions/offload-daily-digest/invoke`, { method: "POST", body: "{}" });
    if (!invoked.ok) throw new Error(`invoke answered ${invoked.status}`);
    let fanOut;
    while (!(fanOut = [...executor.store.runs.values()].find((r) => r.functionId === "offload-daily-digest" && r.endedAt))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const queued = [...executor.store.runs.values()].filter((r) => r.functionId === "offload-send-digest").length;
    const steps = fanOut.steps;
    const pages = steps.filter((s) => s.name.startsWith("find-")).length;
    const sends = steps.filter((s) => s.name.startsWith("fan-out-")).length;
    console.log(
      `fan-out of ${due?.n} due users: ${seconds.toFixed(2)} s to queue ${queued} digests (output ${JSON.stringify(fanOut.output)})`,
    );
    const mean = (prefix: string) => {
      const timed = steps.filter((s) => s.name.startsWith(prefix) && s.endedAt);
      return timed.reduce((sum, s) => sum + (s.endedAt! - s.startedAt), 0) / Math.max(1, timed.length);
    };
    console.log(`  mean step time: page read ${mean("find-").toFixed(0)} ms, batched send ${mean("fan-out-").toFixed(0)} ms`);
    console.log(
      `  ${steps.length} steps: ${pages} page reads (1 database round trip each, no writes), ` +
        `${sends} batched event sends (1 event API call each), 1 timestamp step`,
    );
  } finally {
    await close();
  }
}
