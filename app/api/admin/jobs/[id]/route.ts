import { z } from "zod";
import { requireAdminScope } from "@/lib/admin/access";
import { getAdminJob, jobNotFound } from "@/lib/admin/dead-letters";
import { route } from "@/lib/http/route";
import { createServiceSupabase } from "@/lib/supabase/service";

/** One job in the caller's scope, with its real error and a redacted payload; 404 otherwise. */
export const GET = route({ params: z.object({ id: z.uuid() }) }, async ({ supabase, user, params }) => {
  const scope = await requireAdminScope(supabase, user);
  const job = await getAdminJob(createServiceSupabase(), scope, params.id);
  if (!job) throw jobNotFound();
  return Response.json(job, { headers: { "Cache-Control": "no-store" } });
});
