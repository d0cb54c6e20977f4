import { requireAdminScope } from "@/lib/admin/access";
import { listDeadLetters } from "@/lib/admin/dead-letters";
import { deadLetterQuerySchema } from "@/lib/admin/schemas";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { createServiceSupabase } from "@/lib/supabase/service";

/**
 * Failed jobs in the caller's scope, newest first: `{ jobs, nextCursor }`. Filters: `type`,
 * `orgId`, `failedSince`, `failedUntil` (ISO 8601), `replayed` (yes/no); `cursor`, `limit`.
 */
export const GET = route({}, async ({ request, supabase, user }) => {
  // The scope before the query: someone who isn't an admin learns nothing, not even its syntax.
  const scope = await requireAdminScope(supabase, user);
  const query = parseQuery(deadLetterQuerySchema, request.nextUrl.searchParams);
  const page = await listDeadLetters(createServiceSupabase(), scope, query);
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
});
