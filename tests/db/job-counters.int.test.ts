import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { applyMigrations } from "@/devstack/supabase/migrations";
import { prepareDatabase, type PreparedDatabase } from "@/devstack/supabase/server";
import { getJobCounters, getJobDurationHistograms } from "@/lib/metrics/counters";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { deleteJobsOfTypes, uniqueType } from "../metrics/history";
import { createTeamOrg, serviceClient, signUpUser } from "../support/supabase";

const supabaseDir = path.resolve(import.meta.dirname, "../../supabase");
const COUNTERS_VERSION = "20261205000000";

const counterRows = z.array(
  z.object({ job_type: z.string(), completed: z.coerce.number(), failed: z.coerce.number(), cancelled: z.coerce.number() }),
);

/**
 * The job counters' migration: its backfill of the jobs already there, and its triggers
 * when many jobs of one type finish at once over the API's connections (on PostgreSQL,
 * concurrent transactions on one counter row).
 */
describe(`job counters on ${inject("database")}`, () => {
  const db = serviceClient();
  const type = uniqueType("counters");

  afterAll(async () => {
    await deleteJobsOfTypes([type]);
  });

  it("count each job once, however many of one type finish at the same time", async () => {
    const { id: userId } = await signUpUser("Counters Owner");
    const orgId = await createTeamOrg([{ userId, role: "owner" }]);
    const created = await db
      .from("jobs")
      .insert(Array.from({ length: 40 }, () => ({ org_id: orgId, type, status: "processing" as const, started_at: new Date(Date.now() - 4_000).toISOString() })))
      .select("id")
      .throwOnError();
    const ids = created.data.map((job) => job.id);
    const now = new Date().toISOString();
    await Promise.all(
      ids.map((id, i) =>
        db
          .from("jobs")
          .update(i % 4 === 0 ? { status: "failed", failed_at: now } : { status: "completed", completed_at: now, progress: 100 })
          .eq("id", id)
          .throwOnError(),
      ),
    );
    // Writes to a finished job (its result, a repeated terminal write) count nothing more.
    await Promise.all(ids.slice(0, 10).map((id) => db.from("jobs").update({ result: { again: true } }).eq("id", id).throwOnError()));

    const counters = (await getJobCounters(db)).find((c) => c.jobType === type);
    expect(counters).toMatchObject({ completed: 30, failed: 10, cancelled: 0, durationCount: 30 });
    const histogram = (await getJobDurationHistograms(db)).find((h) => h.jobType === type);
    // Every one took about 4 s: none by 1 s, all by 5 s.
    expect(histogram?.buckets.slice(0, 2)).toEqual([
      { le: "1", count: 0 },
      { le: "5", count: 30 },
    ]);
    expect(histogram?.buckets.at(-1)).toEqual({ le: "+Inf", count: 30 });
    expect(histogram?.count).toBe(30);
  });

  describe("the backfill", () => {
    let database: TestDatabase;
    let prepared: PreparedDatabase;
    let projectDir: string;

    beforeAll(async () => {
      // The project as it was before the counters: every migration older than theirs.
      projectDir = await mkdtemp(path.join(tmpdir(), "offload-counters-"));
      await cp(supabaseDir, projectDir, {
        recursive: true,
        filter: (source) => !/^\d{14}_/.test(path.basename(source)) || path.basename(source) < COUNTERS_VERSION,
      });
      database = await createTestDatabase(inject("database"));
      prepared = await prepareDatabase({ projectDir, databaseUrl: database.databaseUrl, seed: false });
    });

    afterAll(async () => {
      await prepared?.close();
      await database?.drop();
      if (projectDir) await rm(projectDir, { recursive: true, force: true });
    });

    it("counts the jobs that finished before the migration, and nothing that hasn't", async () => {
      expect((await readdir(path.join(projectDir, "migrations"))).some((name) => name.startsWith(COUNTERS_VERSION))).toBe(false);
      await prepared.query(
        `with org as (insert into public.organisations (name, slug) values ('Before counters', 'before-counters') returning id)
         insert into public.jobs (org_id, type, status, started_at, completed_at, failed_at, cancelled_at)
         select org.id, j.type, j.status::public.job_status, j.started_at, j.completed_at, j.failed_at, j.cancelled_at
         from org, (values
           ('a', 'completed', now() - interval '3 seconds', now(), null::timestamptz, null::timestamptz),
           ('a', 'completed', now() - interval '100 seconds', now(), null, null),
           ('a', 'completed', null, now(), null, null),
           ('a', 'failed', now(), null, now(), null),
           ('a', 'processing', now(), null, null, null),
           ('b', 'cancelled', null, null, null, now()),
           ('c', 'pending', null, null, null, null)
         ) as j (type, status, started_at, completed_at, failed_at, cancelled_at)`,
      );

      await applyMigrations(prepared, { migrationsDir: path.join(supabaseDir, "migrations") });

      const counters = counterRows.parse(
        await prepared.query("select job_type, completed, failed, cancelled from public.job_counters order by job_type"),
      );
      expect(counters).toEqual([
        { job_type: "a", completed: 3, failed: 1, cancelled: 0 },
        { job_type: "b", completed: 0, failed: 0, cancelled: 1 },
      ]);
      const histogram = z
        .array(z.object({ le: z.string(), cumulative: z.coerce.number(), duration_count: z.coerce.number(), duration_seconds_sum: z.number() }))
        .parse(await prepared.query("select le, cumulative, duration_count, duration_seconds_sum from public.job_duration_histogram() where job_type = 'a'"));
      // The two that started: 3 s and 100 s.
      expect(histogram.map((row) => [row.le, row.cumulative])).toEqual([
        ["1", 0], ["5", 1], ["15", 1], ["30", 1], ["60", 1], ["120", 2], ["300", 2], ["600", 2], ["1800", 2], ["3600", 2], ["+Inf", 2],
      ]);
      expect(histogram[0]).toMatchObject({ duration_count: 2 });
      expect(histogram[0]!.duration_seconds_sum).toBeCloseTo(103, 3);

      // From here on the trigger counts: the running job finishes.
      await prepared.query("update public.jobs set status = 'completed', completed_at = now() where type = 'a' and status = 'processing'");
      const after = counterRows.parse(await prepared.query("select job_type, completed, failed, cancelled from public.job_counters where job_type = 'a'"));
      expect(after).toEqual([{ job_type: "a", completed: 4, failed: 1, cancelled: 0 }]);
    });
  });
});
