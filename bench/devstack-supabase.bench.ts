/**
 * What the local Supabase costs per request: a signed-in user's RLS-filtered read of their
 * organisation's jobs through supabase-js, on embedded PGlite and on PostgreSQL.
 */
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "../devstack/supabase/keys";
import { startSupabase } from "../devstack/supabase/server";
import { createTestDatabase, type DatabaseKind } from "../tests/support/databases";
import { freePort } from "../tests/support/free-port";
import { ms, percentile } from "./stats";

const REQUESTS = 500;

async function measure(kind: DatabaseKind) {
  const database = await createTestDatabase(kind);
  const started = performance.now();
  // Email confirmation is on: keep the confirmation email in memory and use its token.
  let confirmation = "";
  const stack = await startSupabase({
    projectDir: path.resolve(import.meta.dirname, "../supabase"),
    port: await freePort(),
    databaseUrl: database.databaseUrl,
    authMail: { send: async ({ html }) => void (confirmation = html ?? "") },
  });
  const bootMs = performance.now() - started;
  try {
    const options = { auth: { persistSession: false, autoRefreshToken: false } };
    const anon = createClient(stack.url, LOCAL_PUBLISHABLE_KEY, options);
    await anon.auth.signUp({ email: `bench-${Date.now()}@example.com`, password: "bench-password" });
    const tokenHash = /token_hash=([0-9a-f]+)/.exec(confirmation)?.[1] ?? "";
    const { data } = await anon.auth.verifyOtp({ type: "email", token_hash: tokenHash });
    const token = data.session?.access_token;
    if (!token || !data.user) throw new Error("confirming the sign-up gave no session");
    const service = createClient(stack.url, LOCAL_SECRET_KEY, options);
    const { data: membership } = await service.from("memberships").select("org_id").eq("user_id", data.user.id).single();
    const jobs = Array.from({ length: 50 }, (_, i) => ({ org_id: membership!.org_id, type: "bench", payload: { i } }));
    await service.from("jobs").insert(jobs);

    const user = createClient(stack.url, LOCAL_PUBLISHABLE_KEY, {
      ...options,
      global: { headers: { Authorization: `Bearer ${token}` } },
    });
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const { error } = await user.from("jobs").select("id, status, progress").order("created_at").limit(20);
      if (error) throw new Error(error.message);
      samples.push(performance.now() - t);
    }
    console.log(
      `${kind.padEnd(8)} boot+migrate ${ms(bootMs)} | RLS read of 20 jobs x${REQUESTS}: ` +
        `p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))}`,
    );
  } finally {
    await stack.close();
    await database.drop();
  }
}

export async function run() {
  await measure("pglite");
  await measure("postgres");
}
