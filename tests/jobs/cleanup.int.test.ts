import { subDays } from "date-fns";
import { describe, expect, it } from "vitest";
import { deleteExpiredJobs } from "@/lib/jobs/cleanup";
import type { TerminalStatus } from "@/lib/jobs/state";
import { serviceClient, signUpUser } from "../support/supabase";

const daysAgo = (days: number) => subDays(new Date(), days).toISOString();

describe("deleteExpiredJobs", () => {
  it("deletes exactly what the retention policy says, in batches", async () => {
    const db = serviceClient();
    const { orgId } = await signUpUser("Retention");
    const rows = [
      { tag: "completed-31", status: "completed", completed_at: daysAgo(31) },
      { tag: "completed-29", status: "completed", completed_at: daysAgo(29) },
      { tag: "completed-45", status: "completed", completed_at: daysAgo(45) },
      { tag: "cancelled-31", status: "cancelled", cancelled_at: daysAgo(31) },
      { tag: "failed-91", status: "failed", failed_at: daysAgo(91) },
      { tag: "failed-89", status: "failed", failed_at: daysAgo(89) },
      { tag: "processing-100", status: "processing", created_at: daysAgo(100) },
    ] as const;
    // The rows carry different timestamp keys: PostgREST writes a key another row has as NULL
    // (so created_at would be null) unless missing keys take their defaults.
    const { error } = await db.from("jobs").insert(
      rows.map(({ tag, ...row }) => ({ ...row, org_id: orgId, type: "cleanup-test", payload: { tag } })),
      { defaultToNull: false },
    );
    expect(error).toBeNull();

    const purge = async (status: TerminalStatus, olderThanDays: number) => {
      let total = 0;
      for (let count = -1; count !== 0; total += count) {
        count = await deleteExpiredJobs(db, { status, olderThanDays, batchSize: 1 });
      }
      return total;
    };
    expect(await purge("completed", 30)).toBe(2);
    expect(await purge("cancelled", 30)).toBe(1);
    expect(await purge("failed", 90)).toBe(1);

    const { data } = await db.from("jobs").select("payload").eq("org_id", orgId).eq("type", "cleanup-test");
    expect(data!.map((job) => (job.payload as { tag: string }).tag).sort()).toEqual([
      "completed-29",
      "failed-89",
      "processing-100",
    ]);
  });
});

describe("deleteExpiredJobs at scale", () => {
  it("deletes a batch far larger than a request URL could name, in one call", async () => {
    const db = serviceClient();
    const { orgId } = await signUpUser("Retention at scale");
    const expired = Array.from({ length: 600 }, (_, i) => ({
      org_id: orgId,
      type: "cleanup-scale-test",
      status: "completed" as const,
      completed_at: daysAgo(31),
      payload: { i },
    }));
    expect((await db.from("jobs").insert(expired)).error).toBeNull();

    expect(await deleteExpiredJobs(db, { status: "completed", olderThanDays: 30, batchSize: 1000 })).toBe(600);
    const { count } = await db
      .from("jobs")
      .select("id", { count: "exact", head: true })
      .eq("type", "cleanup-scale-test");
    expect(count).toBe(0);
  });
});
