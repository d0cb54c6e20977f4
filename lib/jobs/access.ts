import { HttpError } from "@/lib/http/errors";
import type { Db } from "@/lib/supabase/db";
import type { Job } from "./state";
import { getJob } from "./store";

/**
 * A job the caller may see, read with their own client so row-level security decides.
 * Another organisation's job and a job that doesn't exist answer the same 404: the API
 * never tells anyone that an id exists.
 */
export async function getVisibleJob(userDb: Db, id: string): Promise<Job> {
  const job = await getJob(userDb, { id });
  if (!job) throw new HttpError(404, "not_found", "No such job.");
  return job;
}

/** Changes whenever the job does (every write bumps `version`), so polls can get 304s. */
export const jobEtag = (job: Pick<Job, "id" | "version">) => `"${job.id}.${job.version}"`;
