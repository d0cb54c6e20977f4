/**
 * `npm run admin:grant -- <email> [--revoke]`: makes the user with that email a platform
 * admin (the whole install: every organisation's jobs, the crons), with the service role,
 * as only an operator may. `--revoke` takes it back.
 *
 * Team admins need no command: the owners and admins of a team administer its jobs in
 * the console from their membership, which the team's owners manage on its Team page.
 *
 * Talks to the Supabase in .env.development (the devstack), unless .env.local or the
 * environment set SUPABASE_URL and SUPABASE_SECRET_KEY: that is how it reaches a hosted project.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs, parseEnv } from "node:util";
import { createClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "../lib/supabase/database.types";

const usage = "usage: npm run admin:grant -- <email> [--revoke]";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { revoke: { type: "boolean", default: false } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
})();

const args = z
  .object({ email: z.email(), revoke: z.boolean() })
  .safeParse({ email: positionals[0], revoke: values.revoke });
if (!args.success || positionals.length !== 1) fail(`${args.error ? z.prettifyError(args.error) : ""}\n${usage}`);
const { email, revoke } = args.data;

const readEnvFile = (file: string) => (existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {});
const env = { ...readEnvFile(".env.development"), ...readEnvFile(".env.local"), ...process.env };
if (!env.SUPABASE_URL || !env.SUPABASE_SECRET_KEY?.startsWith("sb_secret_")) {
  fail("Set SUPABASE_URL and SUPABASE_SECRET_KEY (sb_secret_…) in .env.local or the environment.");
}
const db = createClient<Database>(env.SUPABASE_URL, env.SUPABASE_SECRET_KEY, {
  auth: { persistSession: false, autoRefreshToken: false },
});

function failed(action: string, error: { message: string }): never {
  fail(`Could not ${action}: ${error.message}`);
}

const found = await db.from("profiles").select("id").eq("email", email).maybeSingle();
if (found.error) failed("find the user", found.error);
const profile = found.data;
if (!profile) fail(`No user with the email ${email}: they sign up first.`);

if (revoke) {
  const revoked = await db.from("platform_admins").delete().eq("user_id", profile.id);
  if (revoked.error) failed("revoke the grant", revoked.error);
  console.log(`${email} is not a platform admin.`);
} else {
  const granted = await db
    .from("platform_admins")
    .upsert({ user_id: profile.id }, { onConflict: "user_id", ignoreDuplicates: true });
  if (granted.error) failed("grant it", granted.error);
  console.log(`${email} is a platform admin: the whole install, at /admin.`);
}
