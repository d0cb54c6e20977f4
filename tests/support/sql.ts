import { inject } from "vitest";
import { querySqlHook } from "./sql-hook";

/**
 * SQL as the database's superuser (what `supabase_admin` is on a hosted project), through
 * the global setup's test-only hook (`sqlUrl`): for seeding at scale and for inspecting
 * what the API can't show, never for what the app itself does.
 */
export async function sql(text: string, params: unknown[] = []): Promise<unknown[]> {
  return querySqlHook(inject("sqlUrl"), text, params);
}
