import type { Db } from "@/lib/supabase/db";
import type { AdminScope } from "./access";

/**
 * The organisations the dead letters filter offers: those the admin belongs to as owner or
 * admin, and the one being filtered by. Not every organisation for platform admins: an
 * install has one per user; they pick one by its name in the list instead.
 */
export async function organisationOptions(
  serviceDb: Db,
  scope: AdminScope,
  current?: string,
): Promise<{ id: string; name: string }[]> {
  const ids = [...new Set([...scope.orgIds, ...(current ? [current] : [])])];
  if (ids.length === 0) return [];
  const { data, error } = await serviceDb.from("organisations").select("id, name").in("id", ids).order("name");
  if (error) throw new Error(`Could not read organisations: ${error.message}`);
  return data;
}
