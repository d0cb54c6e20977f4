import "server-only";
import { createServerClient, type CookieOptions } from "@supabase/ssr";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import type { Database } from "./database.types";

/**
 * Only our server talks to Supabase, so no script in the page needs the session tokens:
 * HttpOnly keeps injected scripts from reading them. Secure whenever the app is on https.
 */
export function sessionCookieOptions(): CookieOptions {
  return { httpOnly: true, secure: new URL(env().APP_URL).protocol === "https:" };
}

/**
 * A Supabase client acting as the signed-in user (row-level security applies), for
 * server components and route handlers. Create one per request; never share it.
 */
export async function createServerSupabase() {
  return serverSupabaseFor(await cookies());
}

/** createServerSupabase for a request's cookie store already in hand. */
export function serverSupabaseFor(cookieStore: Awaited<ReturnType<typeof cookies>>) {
  const { SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY } = env();

  return createServerClient<Database>(SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, {
    cookieOptions: sessionCookieOptions(),
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll(cookiesToSet) {
        try {
          for (const { name, value, options } of cookiesToSet) {
            cookieStore.set(name, value, options);
          }
        } catch {
          // Server components can't set cookies. The proxy refreshes the session before
          // they render, so the cookies it wrote are the current ones.
        }
      },
    },
  });
}
