import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Job } from "@/lib/jobs/state";
import type { ApiClient } from "../support/http";
import { serviceClient, type TestUser } from "../support/supabase";

/** What the admin tests share: seeding failed jobs, and waiting for one to finish. */

export const db = serviceClient();

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/**
 * A welcome email that failed for good, as the job mirror leaves one, for a user who
 * exists (so its replay really runs and sends). For tests that need many dead letters
 * with chosen failure times; one test makes a job fail for real.
 */
export async function seedFailedWelcome(
  user: Pick<TestUser, "id" | "email">,
  options: { orgId: string; failedAt?: string; type?: string; payload?: Job["payload"] },
): Promise<Job> {
  const { data, error } = await db
    .from("jobs")
    .insert({
      org_id: options.orgId,
      user_id: user.id,
      type: options.type ?? "welcome-email",
      payload: options.payload ?? { userId: user.id, orgId: options.orgId, email: user.email },
      status: "failed",
      error: "Resend rejected the welcome email (422): seeded failure",
      attempt: 1,
      max_attempts: 5,
      failed_at: options.failedAt ?? minutesAgo(1),
      event_name: "app/user.signed_up",
      idempotency_key: `seeded-${randomUUID()}`,
    })
    .select()
    .single();
  if (error) throw new Error(`could not seed a failed job: ${error.message}`);
  return data;
}

export async function readJob(id: string): Promise<Job> {
  const { data, error } = await db.from("jobs").select().eq("id", id).single();
  if (error) throw new Error(`could not read job ${id}: ${error.message}`);
  return data;
}

/** Polls the job row until it is terminal, and returns it. */
export async function waitForTerminal(id: string, timeout = 30_000): Promise<Job> {
  await expect
    .poll(async () => (await readJob(id)).status, { timeout, interval: 50 })
    .toMatch(/^(completed|failed|cancelled)$/);
  return readJob(id);
}

export const postJson = (client: ApiClient, path: string, body?: unknown) =>
  client.json<Record<string, unknown>>(path, {
    method: "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
