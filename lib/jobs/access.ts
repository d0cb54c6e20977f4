import { z } from "zod";
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

/** What the caller may do to a job they can see, beyond reading it. */
export type JobAction = "cancel" | "notify";

/**
 * Why the caller may not change a job they can see, or null when they may. Anyone in a
 * team sees its jobs, but only the person who asked for one, or the team's owners and
 * admins, may cancel it; and whether the requester is emailed is theirs alone to say (the
 * email goes to them). `membership` is the caller's in the job's organisation. Pages use it
 * to offer only what the API allows.
 */
export function jobChangeRefusal(
  job: Pick<Job, "user_id">,
  caller: { userId: string; membership: Pick<Membership, "role"> },
  action: JobAction,
): string | null {
  if (job.user_id !== null && job.user_id === caller.userId) return null;
  if (action === "notify") return "Only the person who asked for this job can choose whether they're emailed about it.";
  if (caller.membership.role === "owner" || caller.membership.role === "admin") return null;
  return "Only the person who asked for this job, or the team's owners and admins, can cancel it.";
}

/** jobChangeRefusal as the API answers it: a 403 that says who may. getVisibleJob first. */
export function assertMayChangeJob(
  job: Pick<Job, "user_id">,
  caller: { userId: string; membership: Pick<Membership, "role"> },
  action: JobAction,
): void {
  const refusal = jobChangeRefusal(job, caller, action);
  if (refusal) throw new HttpError(403, "forbidden", refusal);
}

/** Where a job the caller can't open here lives: another organisation of theirs. */
export type JobElsewhere = { organisation: { id: string; name: string } };

/** The organisations a viewer is in and the one they act in: their viewer context (lib/auth). */
type ViewerOrganisations = { membership: Membership; memberships: Membership[] };

/**
 * For a job link that is a 404 in the current organisation (an email's link, opened after
 * switching): the organisation the job is in, when that is another one the viewer belongs
 * to, so the page can offer to switch there. From the viewer's own memberships, which the
 * page already has; a platform admin, whom row-level security shows more jobs than they
 * belong to, is offered nothing for those.
 */
export function jobElsewhere(job: Pick<Job, "org_id">, viewer: ViewerOrganisations): JobElsewhere | null {
  if (job.org_id === viewer.membership.organisation.id) return null;
  const theirs = viewer.memberships.find(({ organisation }) => organisation.id === job.org_id);
  return theirs ? { organisation: { id: theirs.organisation.id, name: theirs.organisation.name } } : null;
}

/**
 * jobElsewhere for an id, read with the caller's own client: null too when it names no job
 * they can see (row-level security shows only their organisations' jobs).
 */
export async function findJobElsewhere(userDb: Db, id: string, viewer: ViewerOrganisations): Promise<JobElsewhere | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const job = await getJob(userDb, { id });
  return job ? jobElsewhere(job, viewer) : null;
}

/** Changes whenever the job does (every write bumps `version`), so polls can get 304s. */
export const jobEtag = (job: Pick<Job, "id" | "version">) => `"${job.id}.${job.version}"`;
