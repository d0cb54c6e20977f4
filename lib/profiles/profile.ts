import type { Db } from "@/lib/supabase/db";

export class ProfileNotFoundError extends Error {}

/** The whole profile row, for background work (emails, digests) acting for the user. */
export async function getProfile(db: Db, { id }: { id: string }) {
  const { data, error } = await db.from("profiles").select().eq("id", id).maybeSingle();
  if (error) throw new Error(`Could not read profile ${id}: ${error.message}`);
  if (!data) throw new ProfileNotFoundError(`No profile for user ${id}`);
  return data;
}
