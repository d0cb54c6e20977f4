/**
 * Every kind of tracked job, one entry each: the `jobs.type` it is stored as, its name for
 * people, the Inngest function that does the work, the event that starts it, and how often
 * that function retries. Everything else reads these facts from here: the functions' own
 * `id` and `retries`, the events' names (inngest/events.ts), the job mirror's type and
 * attempt count (inngest/job-mirror.ts), the labels in the UI and the admin console's
 * filters. Plain data with no Inngest import, so browser code can read it too.
 *
 * A report's type, event and attempts are also fixed in `enqueue_report` (supabase/migrations),
 * which writes its job; tests/reports/enqueue.int.test.ts checks them against this entry.
 */

type JobTypeDefinition = {
  /** `jobs.type`. */
  type: string;
  label: string;
  /** The Inngest function's id (without the app's prefix). */
  functionId: string;
  /** The name of the event that triggers the function. */
  event: string;
  /** The function's `retries`: attempts after the first. */
  retries: number;
};

const definitions = [
  {
    type: "welcome-email",
    label: "Welcome email",
    functionId: "welcome-email",
    event: "app/user.signed_up",
    retries: 4,
  },
  {
    type: "report",
    label: "Report",
    functionId: "generate-report",
    event: "app/report.requested",
    retries: 3,
  },
  {
    type: "team-invitation",
    label: "Team invitation",
    functionId: "send-invitation",
    event: "app/team.invitation_sent",
    retries: 4,
  },
  {
    type: "send-digest",
    label: "Daily digest",
    functionId: "send-digest",
    event: "app/digest.requested",
    retries: 4,
  },
] as const satisfies readonly JobTypeDefinition[];

type Definition = (typeof definitions)[number];
export type JobType = Definition["type"];

/** A job type with what is derived from it: a run has its first attempt plus the retries. */
export type JobTypeInfo<T extends JobType = JobType> = Extract<Definition, { type: T }> & { maxAttempts: number };

export const jobTypes = Object.fromEntries(
  definitions.map((definition) => [definition.type, { ...definition, maxAttempts: definition.retries + 1 }]),
) as { [T in JobType]: JobTypeInfo<T> };

/** Every job type, in the order the console lists them. */
export const JOB_TYPES: readonly JobType[] = definitions.map((definition) => definition.type);

export function isJobType(type: string): type is JobType {
  return Object.hasOwn(jobTypes, type);
}

/** A job's type for people; a type this app no longer knows shows as stored. */
export function jobTypeLabel(type: string): string {
  return isJobType(type) ? jobTypes[type].label : type;
}

/** The job type whose work the function `functionId` does, if any. */
export function jobTypeOfFunction(functionId: string): JobTypeInfo | undefined {
  return Object.values(jobTypes).find((info) => info.functionId === functionId);
}
