import { inject } from "vitest";
import { z } from "zod";

/**
 * SQL as the database's superuser (what `supabase_admin` is on a hosted project), through
 * the global setup's test-only hook (`sqlUrl`): for seeding at scale and for inspecting
 * what the API can't show, never for what the app itself does.
 */
export async function sql(text: string, params: unknown[] = []): Promise<unknown[]> {
  const response = await fetch(inject("sqlUrl"), { method: "POST", body: JSON.stringify({ text, params }) });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`SQL failed: ${JSON.stringify(body)}`);
  return z.array(z.unknown()).parse(body);
}
