import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "./database.types";

/** What query functions take: a typed client, with a user's session (RLS) or the service role. */
export type Db = SupabaseClient<Database>;
