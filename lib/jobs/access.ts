import { HttpError } from "@/lib/http/errors";
import type { Membership } from "@/lib/auth/context";
import type { Db } from "@/lib/supabase/db";
import type { Job } from "./state";
import { getJob } from "./store";

/**
 * A job the caller may see in the organisation they act in, read with their own client so
 * row-level security decides. Another organisation's job, one of theirs that isn't current
 * (every API call follows the current organisation) and a job that doesn't exist answer
 * the same 404: the API never tells anyone that an id exists. `orgId` may still be on its
 * way (the viewer's lookup), so both reads run at once.
 */
export async function getVisibleJob(userDb: Db, id: string, orgId: string | Promise<string>): Promise<Job> {
  const [job, currentOrgId] = await Promise.all([getJob(userDb, { id }), orgId]);
  if (!job || job.org_id !== currentOrgId) throw new HttpError(404, "not_found", "No such job.");
  return job;
}

/** The id of the organisation a route's caller acts in, from route()'s `membership`. */
export const currentOrgId = async (membership: () => Promise<Membership>) => (await membership()).organisation.id;

/** Changes whenever the job does (every write bumps `version`), so polls can get 304s. */
export const jobEtag = (job: Pick<Job, "id" | "version">) => `"${job.id}.${job.version}"`;
