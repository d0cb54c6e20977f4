import { listAudit } from "@/lib/admin/audit";
import { auditQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

/** The audit log as far as the caller may read it, newest first: `{ entries, nextCursor }`. */
export const GET = route({ auth: "team-admin", query: auditQuerySchema }, async ({ scope, query, service }) => {
  return Response.json(await listAudit(service(), scope, query));
});
