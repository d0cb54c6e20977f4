import { z } from "zod";
import { getAdminJob, jobNotFound } from "@/lib/admin/dead-letters";
import { route } from "@/lib/http/route";

/** One job in the caller's scope, with its real error and a redacted payload; 404 otherwise. */
export const GET = route({ auth: "team-admin", params: z.object({ id: z.uuid() }) }, async ({ scope, params, service }) => {
  const job = await getAdminJob(service(), scope, params.id);
  if (!job) throw jobNotFound();
  return Response.json(job);
});
