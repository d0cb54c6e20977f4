/**
 * `npm run admin:grant -- <email> [--org <id> | --new-org <name>] [--revoke]`: makes the user
 * with that email an administrator, with the service role, as only an operator may.
 *
 *   <email>                  a platform admin: the whole install (every organisation, the crons)
 *   <email> --org <id>       an admin of that team organisation (its jobs only)
 *   <email> --new-org <name> the owner of a new team organisation of that name
 *   --revoke                 takes the grant back instead
 *
 * Talks to the Supabase in .env.development (the devstack), unless .env.local or the
 * environment set SUPABASE_URL and SUPABASE_SECRET_KEY: that is how it reaches a hosted project.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs, parseEnv } from "node:util";
import { createClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "../lib/supabase/database.types";

const usage = "usage: npm run admin:grant -- <email> [--org <organisation id> | --new-org <name>] [--revoke]";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { org: { type: "string" }, "new-org": { type: "string" }, revoke: { type: "boolean", default: false } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
})();

const args = z
  .object({
    email: z.email(),
    org: z.uuid().optional(),
    newOrg: z.string().trim().min(1).max(100).optional(),
    revoke: z.boolean(),
  })
  .refine((a) => !(a.org && a.newOrg), "Use --org or --new-org, not both.")
  .refine((a) => !(a.revoke && a.newOrg), "--revoke takes back a grant; it can't create an organisation.")
  .safeParse({ email: positionals[0], org: values.org, newOrg: values["new-org"], revoke: values.revoke });
if (!args.success || positionals.length !== 1) fail(`${args.error ? z.prettifyError(args.error) : ""}\n${usage}`);
const { email, org, newOrg, revoke } = args.data;

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

if (newOrg) {
  const created = await db.from("organisations").insert({ name: newOrg }).select("id").single();
  if (created.error) failed("create the organisation", created.error);
  const owner = await db.from("memberships").insert({ org_id: created.data.id, user_id: profile.id, role: "owner" });
  if (owner.error) failed("add the owner", owner.error);
  console.log(`${email} owns the new team organisation "${newOrg}" (${created.data.id}) and administers its jobs.`);
} else if (org) {
  const team = await db.from("organisations").select("name, personal").eq("id", org).maybeSingle();
  if (team.error) failed("find the organisation", team.error);
  if (!team.data) fail(`No organisation with the id ${org}.`);
  const { name, personal } = team.data;
  // A personal workspace has one owner, who sees its jobs on the dashboard: it has no admins.
  if (personal) fail(`${name} is a personal workspace; only team organisations have admins.`);
  const member = await db.from("memberships").select("role").eq("org_id", org).eq("user_id", profile.id).maybeSingle();
  if (member.error) failed("read the membership", member.error);
  const role = member.data?.role;
  if (revoke) {
    if (role === "admin") {
      const demoted = await db.from("memberships").update({ role: "member" }).eq("org_id", org).eq("user_id", profile.id);
      if (demoted.error) failed("revoke the grant", demoted.error);
    }
    console.log(role === "owner" ? `${email} owns ${name}; ownership is not revoked here.` : `${email} is not an admin of ${name}.`);
  } else {
    // An owner already administers it; making them "admin" would demote them.
    if (role !== "owner") {
      const granted = await db
        .from("memberships")
        .upsert({ org_id: org, user_id: profile.id, role: "admin" }, { onConflict: "org_id,user_id" });
      if (granted.error) failed("grant it", granted.error);
    }
    console.log(`${email} administers ${name}'s jobs${role === "owner" ? " (as its owner)" : ""}.`);
  }
} else if (revoke) {
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
