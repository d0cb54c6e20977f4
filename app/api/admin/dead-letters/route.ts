import { listDeadLetters } from "@/lib/admin/dead-letters";
import { deadLetterQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

/**
 * Failed jobs in the caller's scope, newest first: `{ jobs, nextCursor }`. Filters: `type`,
 * `orgId`, `failedSince`, `failedUntil` (ISO 8601), `replayed` (yes/no); `cursor`, `limit`.
 */
export const GET = route({ auth: "team-admin", query: deadLetterQuerySchema }, async ({ scope, query, service }) => {
  return Response.json(await listDeadLetters(service(), scope, query));
});
