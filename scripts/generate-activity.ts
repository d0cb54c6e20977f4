/**
 * `npm run db:activity -- <email> [rows] [days]`: fills the personal organisation of the
 * user with that email with `rows` activity rows (default 1,000,000) spread over the last
 * `days` days (default 30), so reports have real work to do: a report on the last 30 days
 * runs long enough to watch its progress and be offered the email (README, "Try it").
 * Uses the local environment, and supabase/seed.sql's `generate_activity`: the demo
 * generator is seed data, which the devstack and `supabase db reset` apply and
 * `supabase db push` doesn't, so a production database has none.
 */
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { createClient } from "@supabase/supabase-js";
import { subDays } from "date-fns";
import { z } from "zod";
import type { Database } from "../lib/supabase/database.types";

const [email, rows = "1000000", days = "30"] = process.argv.slice(2);
const args = z
  .object({ email: z.email(), rows: z.coerce.number().int().min(1).max(10_000_000), days: z.coerce.number().int().min(1).max(366) })
  .safeParse({ email, rows, days });
if (!args.success) {
  console.error("usage: npm run db:activity -- <email> [rows=1000000] [days=30]");
  process.exit(1);
}

const env = { ...parseEnv(readFileSync(".env.development", "utf8")), ...process.env };
const db = createClient<Database>(env.SUPABASE_URL!, env.SUPABASE_SECRET_KEY!, { auth: { persistSession: false } });
// Untyped: the generated types describe the migrations' schema, which has no demo generator.
const seeded = createClient(env.SUPABASE_URL!, env.SUPABASE_SECRET_KEY!, { auth: { persistSession: false } });

const { data: profile } = await db.from("profiles").select("id").eq("email", args.data.email).maybeSingle();
if (!profile) {
  console.error(`No user with the email ${args.data.email}: sign up first.`);
  process.exit(1);
}
const { data: membership, error } = await db
  .from("memberships")
  .select("org_id")
  .eq("user_id", profile.id)
  .order("created_at")
  .limit(1)
  .single();
if (error) throw error;

// Inserted in batches: 100,000 rows a statement stays well inside the Data API's statement
// timeout on a small hosted instance, and each transaction short.
const to = new Date();
const from = subDays(to, args.data.days);
const span = to.getTime() - from.getTime();
const batch = 100_000;
for (let done = 0; done < args.data.rows; done += batch) {
  const n = Math.min(batch, args.data.rows - done);
  const result = await seeded.rpc("generate_activity", {
    p_org_id: membership.org_id,
    p_rows: n,
    p_from: new Date(from.getTime() + (span * done) / args.data.rows).toISOString(),
    p_to: new Date(from.getTime() + (span * (done + n)) / args.data.rows).toISOString(),
  });
  // PostgREST's "no such function": a database prepared without supabase/seed.sql.
  if (result.error?.code === "PGRST202") {
    console.error("This database has no public.generate_activity: it comes with supabase/seed.sql (run `supabase db reset`, or use the devstack).");
    process.exit(1);
  }
  if (result.error) throw new Error(result.error.message);
  console.log(`${done + n} / ${args.data.rows} rows`);
}
