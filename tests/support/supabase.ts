import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { inject } from "vitest";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { latestAuthLink } from "./auth-mail";
import type { Database, Enums } from "@/lib/supabase/database.types";

export type Client = SupabaseClient<Database>;

const noSession = { auth: { persistSession: false, autoRefreshToken: false } };

export const anonClient = (): Client => createClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, noSession);

export const serviceClient = (): Client => createClient<Database>(inject("supabaseUrl"), LOCAL_SECRET_KEY, noSession);

export type TestUser = { id: string; email: string; password: string; client: Client; orgId: string };

/**
 * Signs a new user up through the Auth API, as the app does, confirms the address with
 * the token hash from the confirmation email (email confirmation is on, as on hosted
 * projects), and returns a client with the session that gives.
 */
export async function signUpUser(displayName = "Test User"): Promise<TestUser> {
  const email = `user-${randomUUID()}@example.com`;
  const password = "correct horse battery";
  const signedUp = await anonClient().auth.signUp({ email, password, options: { data: { display_name: displayName } } });
  if (signedUp.error) throw new Error(`sign-up failed: ${signedUp.error.message}`);
  const tokenHash = (await latestAuthLink(email)).searchParams.get("token_hash") ?? "";
  const { data, error } = await anonClient().auth.verifyOtp({ type: "email", token_hash: tokenHash });
  if (error || !data.session || !data.user) throw new Error(`confirmation failed: ${error?.message ?? "no session"}`);
  const client = createClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
    ...noSession,
    global: { headers: { Authorization: `Bearer ${data.session.access_token}` } },
  });
  const membership = await client.from("memberships").select("org_id").eq("user_id", data.user.id).single();
  if (membership.error) throw new Error(`no membership after sign-up: ${membership.error.message}`);
  return { id: data.user.id, email, password, client, orgId: membership.data.org_id };
}

/** Grants a user the install-wide admin flag, as an operator would (service role). */
export async function makePlatformAdmin(userId: string): Promise<void> {
  const { error } = await serviceClient().from("platform_admins").insert({ user_id: userId });
  if (error) throw new Error(`could not grant platform admin: ${error.message}`);
}

/** A team organisation (not personal) with the given members; returns its id. */
export async function createTeamOrg(
  members: { userId: string; role: "owner" | "admin" | "member" }[],
  options: { name?: string; plan?: Enums<"plan"> } = {},
): Promise<string> {
  const db = serviceClient();
  const suffix = randomUUID().slice(0, 8);
  const org = await db
    .from("organisations")
    .insert({ name: options.name ?? `Team ${suffix}`, slug: `team-${suffix}`, plan: options.plan ?? "free" })
    .select("id")
    .single();
  if (org.error) throw new Error(`could not create the team: ${org.error.message}`);
  const added = await db
    .from("memberships")
    .insert(members.map((m) => ({ org_id: org.data.id, user_id: m.userId, role: m.role })));
  if (added.error) throw new Error(`could not add team members: ${added.error.message}`);
  return org.data.id;
}
