import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { inject } from "vitest";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import type { Database } from "@/lib/supabase/database.types";

export type Client = SupabaseClient<Database>;

const noSession = { auth: { persistSession: false, autoRefreshToken: false } };

export const anonClient = (): Client => createClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, noSession);

export const serviceClient = (): Client => createClient<Database>(inject("supabaseUrl"), LOCAL_SECRET_KEY, noSession);

export type TestUser = { id: string; email: string; password: string; client: Client; orgId: string };

/** Signs a new user up through the Auth API, as the app does, and returns a client with their session. */
export async function signUpUser(displayName = "Test User"): Promise<TestUser> {
  const email = `user-${randomUUID()}@example.com`;
  const password = "correct horse battery";
  const { data, error } = await anonClient().auth.signUp({ email, password, options: { data: { display_name: displayName } } });
  if (error || !data.session || !data.user) throw new Error(`sign-up failed: ${error?.message ?? "no session"}`);
  const client = createClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
    ...noSession,
    global: { headers: { Authorization: `Bearer ${data.session.access_token}` } },
  });
  const membership = await client.from("memberships").select("org_id").eq("user_id", data.user.id).single();
  if (membership.error) throw new Error(`no membership after sign-up: ${membership.error.message}`);
  return { id: data.user.id, email, password, client, orgId: membership.data.org_id };
}
