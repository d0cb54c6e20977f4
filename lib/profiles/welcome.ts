import type { Db } from "@/lib/supabase/db";

/** Records the welcome email once; a repeat keeps the first timestamp. */
export async function markWelcomeSent(db: Db, { id }: { id: string }) {
  const { error } = await db
    .from("profiles")
    .update({ welcome_sent_at: new Date().toISOString() })
    .eq("id", id)
    .is("welcome_sent_at", null);
  if (error) throw new Error(`Could not mark the welcome email sent for ${id}: ${error.message}`);
}
