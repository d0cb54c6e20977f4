import { requireAdminScope } from "@/lib/admin/access";
import { listAudit } from "@/lib/admin/audit";
import { auditQuerySchema } from "@/lib/admin/schemas";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { createServiceSupabase } from "@/lib/supabase/service";

/** The audit log as far as the caller may read it, newest first: `{ entries, nextCursor }`. */
export const GET = route({}, async ({ request, supabase, user }) => {
  const scope = await requireAdminScope(supabase, user);
  const query = parseQuery(auditQuerySchema, request.nextUrl.searchParams);
  const page = await listAudit(createServiceSupabase(), scope, query);
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
});
