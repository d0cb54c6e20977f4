import { jobTypes } from "../registry";

/**
 * Where a job's page is: a report's under Reports, so that tab is the one lit while you
 * watch it; every other job's under Jobs. Both routes render the same page.
 */
export function jobPagePath(job: { id: string; type: string }): string {
  return job.type === jobTypes.report.type ? `/dashboard/reports/${job.id}` : `/dashboard/jobs/${job.id}`;
}
