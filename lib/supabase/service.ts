import "server-only";
import { createClient } from "@supabase/supabase-js";
import { env } from "@/lib/env";
import type { Database } from "./database.types";

/**
 * A Supabase client with the secret key, server-side only. It bypasses row-level
 * security: use it for work done on the system's behalf (background jobs), and never to
 * serve a user's request without checking their access yourself.
 */
export function createServiceSupabase() {
  const { SUPABASE_URL, SUPABASE_SECRET_KEY } = env();

  return createClient<Database>(SUPABASE_URL, SUPABASE_SECRET_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
