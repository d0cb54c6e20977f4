import { z } from "zod";
import { route } from "@/lib/http/route";
import { listJobs } from "@/lib/jobs/store";
import { toStatusView } from "@/lib/jobs/view";

const querySchema = z.object({
  cursor: z.string().regex(/^\d{1,18}$/).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  type: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/).optional(),
});

/** The caller's organisation's jobs, newest first: `{ jobs, nextCursor }`. */
export const GET = route({ query: querySchema }, async ({ supabase, membership, query }) => {
  const page = await listJobs(supabase, { orgId: (await membership()).organisation.id, ...query });
  return Response.json({ jobs: page.jobs.map((job) => toStatusView(job)), nextCursor: page.nextCursor });
});
