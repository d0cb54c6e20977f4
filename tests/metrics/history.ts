import { randomBytes } from "node:crypto";
import type { Database } from "@/lib/supabase/database.types";
import { serviceClient } from "../support/supabase";

/**
 * Seeding a known job history: jobs written straight into the table with explicit
 * timestamps (as an operator's SQL would), so every metric has an answer worked out by hand.
 */

type JobInsert = Database["public"]["Tables"]["jobs"]["Insert"];
export type SeededJob = Pick<JobInsert, "status"> & {
  createdAt?: Date;
  startedAt?: Date;
  completedAt?: Date;
  failedAt?: Date;
  cancelledAt?: Date;
};

/** A job type no other test uses, so figures over every organisation stay ours. */
export const uniqueType = (name: string) => `${name}-${randomBytes(4).toString("hex")}`;

/** `base` moved by `seconds` (negative: earlier). */
export const shift = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

export async function insertJobs(orgId: string, type: string, jobs: SeededJob[]): Promise<void> {
  const iso = (date: Date | undefined) => date?.toISOString() ?? null;
  const rows: JobInsert[] = jobs.map((job) => ({
    org_id: orgId,
    type,
    status: job.status,
    created_at: iso(job.createdAt ?? job.startedAt ?? job.failedAt ?? job.cancelledAt) ?? undefined,
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    failed_at: iso(job.failedAt),
    cancelled_at: iso(job.cancelledAt),
  }));
  for (let i = 0; i < rows.length; i += 500) {
    const { error } = await serviceClient().from("jobs").insert(rows.slice(i, i + 500));
    if (error) throw new Error(`could not seed ${type} jobs: ${error.message}`);
  }
}

/** Completed jobs that took `seconds[i]` each, finishing at `finishedAt(i)`. */
export const completedJobs = (seconds: number[], finishedAt: (index: number) => Date): SeededJob[] =>
  seconds.map((duration, index) => ({
    status: "completed",
    startedAt: shift(finishedAt(index), -duration),
    completedAt: finishedAt(index),
  }));

/**
 * PostgreSQL's percentile_cont, by its definition: sort, find the position
 * fraction × (n − 1), and interpolate linearly between the values either side of it.
 */
export function percentileCont(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const below = sorted[Math.floor(position)]!;
  const above = sorted[Math.ceil(position)]!;
  return below + (above - below) * (position - Math.floor(position));
}

export async function deleteJobsOfTypes(types: string[]): Promise<void> {
  const { error } = await serviceClient().from("jobs").delete().in("type", types);
  if (error) throw new Error(`could not delete seeded jobs: ${error.message}`);
}
