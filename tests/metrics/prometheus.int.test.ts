import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { deleteExpiredJobs } from "@/lib/jobs/cleanup";
import type { TerminalStatus } from "@/lib/jobs/state";
import { PROMETHEUS_METRICS as M } from "@/lib/metrics/prometheus-catalog";
import { startAppStack, type AppStack } from "../support/app-stack";
import { histogramOf, parseScrape, valueOf } from "../support/prometheus";
import { sql } from "../support/sql";
import { createTeamOrg, serviceClient, signUpUser } from "../support/supabase";
import { completedJobs, deleteJobsOfTypes, insertJobs, shift, uniqueType } from "./history";

/**
 * GET /api/metrics through the real app: what a Prometheus server scrapes, read back by a
 * real parser of the text format, each figure checked against SQL over the same jobs.
 */
describe(`GET /api/metrics (${inject("database")})`, () => {
  const TOKEN = `metrics-${"0123456789abcdef".repeat(3)}`;
  const db = serviceClient();
  let stack: AppStack;
  let orgId: string;
  const typeA = uniqueType("prom-a");
  const typeB = uniqueType("prom-b");
  const now = new Date();
  const minutesAgo = (n: number) => shift(now, -60 * n);
  const daysAgo = (n: number) => shift(now, -86_400 * n);
  // Durations that land in the first, second, 30, 60, 300 s and +Inf buckets.
  const recentDurations = [0.5, 3, 20, 45, 200, 4000];

  const scrape = (authorization?: string) =>
    fetch(`${stack.app.url}/api/metrics`, authorization ? { headers: { authorization } } : {});

  const scrapeText = async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return text;
  };

  /** The counters as SQL counts them from the jobs table. */
  const countedFromJobs = async (type: string) => {
    const rows = await sql(
      `select count(*) filter (where status = 'completed')::int as completed,
              count(*) filter (where status = 'failed')::int as failed,
              count(*) filter (where status = 'cancelled')::int as cancelled
         from public.jobs where type = $1`,
      [type],
    );
    return z.tuple([z.object({ completed: z.number(), failed: z.number(), cancelled: z.number() })]).parse(rows)[0];
  };

  /** The duration histogram as SQL computes it from the jobs table: cumulative per bound. */
  const histogramFromJobs = async (type: string) => {
    const rows = await sql(
      `with d as (
         select extract(epoch from completed_at - started_at)::double precision as seconds
           from public.jobs where type = $1 and status = 'completed' and started_at is not null)
       select case when b = 'Infinity' then '+Inf' else b::text end as le,
              (select count(*)::int from d where d.seconds <= b) as count
         from unnest(public.job_duration_bounds() || 'Infinity'::double precision) as b order by b`,
      [type],
    );
    const totals = await sql(
      `select coalesce(sum(extract(epoch from completed_at - started_at)), 0)::double precision as sum, count(*)::int as count
         from public.jobs where type = $1 and status = 'completed' and started_at is not null`,
      [type],
    );
    const buckets = Object.fromEntries(
      z.array(z.object({ le: z.string(), count: z.number() })).parse(rows).map(({ le, count }) => [le, count]),
    );
    const [{ sum, count }] = z.tuple([z.object({ sum: z.number(), count: z.number() })]).parse(totals);
    return { buckets, sum, count };
  };

  /** The admin overview's SQL over the alert hour, as of `at`. */
  const adminFigures = async (type: string, at: Date) => {
    const rows = await sql(
      `select throughput_per_minute, queue_depth::int, coalesce(oldest_pending_seconds, 0) as oldest_pending_seconds, stuck::int
         from public.job_metrics($1, $2, null, $2, $3) where job_type = $4`,
      [shift(at, -3_600).toISOString(), at.toISOString(), Number(stack.env.ALERT_STUCK_AFTER_SECONDS ?? 3600), type],
    );
    const figures = z.object({
      throughput_per_minute: z.number(),
      queue_depth: z.number(),
      oldest_pending_seconds: z.number(),
      stuck: z.number(),
    });
    return z.tuple([figures]).parse(rows)[0];
  };

  beforeAll(async () => {
    stack = await startAppStack({ env: { METRICS_BEARER_TOKEN: TOKEN } });
    const owner = await signUpUser("Metrics Scraper");
    orgId = await createTeamOrg([{ userId: owner.id, role: "owner" }]);

    await insertJobs(orgId, typeA, [
      ...completedJobs(recentDurations, () => minutesAgo(10)),
      { status: "failed", startedAt: minutesAgo(11), failedAt: minutesAgo(10) },
      { status: "failed", startedAt: minutesAgo(11), failedAt: minutesAgo(10) },
      { status: "cancelled", cancelledAt: minutesAgo(10) },
      // Past retention: the cleanup below deletes these.
      ...completedJobs([2], () => daysAgo(40)),
      { status: "failed", startedAt: daysAgo(100), failedAt: daysAgo(100) },
      { status: "cancelled", cancelledAt: daysAgo(40) },
      // The queue now: two pending (the oldest 30 minutes old), one retrying, one running
      // for two hours (stuck: past ALERT_STUCK_AFTER_SECONDS), one running for a minute.
      { status: "pending", createdAt: minutesAgo(30) },
      { status: "pending", createdAt: minutesAgo(5) },
      { status: "retrying", createdAt: minutesAgo(2), startedAt: minutesAgo(1) },
      { status: "processing", createdAt: minutesAgo(121), startedAt: minutesAgo(120) },
      { status: "processing", createdAt: minutesAgo(2), startedAt: minutesAgo(1) },
    ]);
    // One job that finishes the way the app's do: an update into a terminal state, 7 s after it started.
    const { data: live, error } = await db
      .from("jobs")
      .insert({ org_id: orgId, type: typeA, status: "pending" })
      .select("id")
      .single();
    if (error) throw new Error(error.message);
    const startedAt = minutesAgo(3);
    await db.from("jobs").update({ status: "processing", started_at: startedAt.toISOString() }).eq("id", live.id).throwOnError();
    await db
      .from("jobs")
      .update({ status: "completed", completed_at: shift(startedAt, 7).toISOString(), progress: 100 })
      .eq("id", live.id)
      .throwOnError();
    // Only a failure: its histogram is all zeros.
    await insertJobs(orgId, typeB, [{ status: "failed", startedAt: minutesAgo(11), failedAt: minutesAgo(10) }]);
    await db
      .from("alert_incidents")
      .insert({ rule: "queue_depth", job_type: typeB, value: 5, threshold: 1, opened_at: now.toISOString(), last_seen_at: now.toISOString() })
      .throwOnError();
  }, 180_000);

  afterAll(async () => {
    await db.from("alert_incidents").delete().in("job_type", [typeA, typeB]);
    await deleteJobsOfTypes([typeA, typeB]);
    await stack?.close();
  });

  it("refuses a scrape without the token, or with another, with 401 JSON", async () => {
    for (const authorization of [undefined, "Bearer not-the-token", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("answers the text format, uncached, with every metric the catalog lists", async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const families = parseScrape(await response.text());
    for (const metric of Object.values(M)) {
      expect(families.get(metric.name), metric.name).toMatchObject({ type: metric.type.toUpperCase(), help: metric.help });
    }
  });

  it("counts completed, failed and cancelled jobs as SQL over the jobs table does", async () => {
    const families = parseScrape(await scrapeText());
    for (const type of [typeA, typeB]) {
      const expected = await countedFromJobs(type);
      expect({
        completed: valueOf(families, M.jobsCompleted.name, { job_type: type }),
        failed: valueOf(families, M.jobsFailed.name, { job_type: type }),
        cancelled: valueOf(families, M.jobsCancelled.name, { job_type: type }),
      }).toEqual(expected);
    }
    // By hand: six recent, one past retention and the one that finished by update; and so on.
    expect(await countedFromJobs(typeA)).toEqual({ completed: 8, failed: 3, cancelled: 2 });
  });

  it("buckets completed jobs' durations as SQL over the jobs table does", async () => {
    const text = await scrapeText();
    for (const type of [typeA, typeB]) {
      const series = histogramOf(text, M.jobDuration.name, { job_type: type });
      const expected = await histogramFromJobs(type);
      expect(series).toBeDefined();
      expect(series!.buckets).toEqual(expected.buckets);
      expect(series!.count).toBe(expected.count);
      expect(series!.sum).toBeCloseTo(expected.sum, 6);
    }
    const a = histogramOf(text, M.jobDuration.name, { job_type: typeA })!;
    // 0.5, 2 (past retention) ≤ 1 s … 4000 s only in +Inf; 7 s (the live one) ≤ 15 s.
    expect(a.buckets).toMatchObject({ "1": 1, "5": 3, "15": 4, "30": 5, "60": 6, "300": 7, "3600": 7, "+Inf": 8 });
    expect(histogramOf(text, M.jobDuration.name, { job_type: typeB })).toMatchObject({ count: 0, sum: 0, buckets: { "+Inf": 0 } });
  });

  it("reports the queue as the admin overview's SQL does", async () => {
    const before = new Date();
    const families = parseScrape(await scrapeText());
    const after = new Date();
    const [then, later] = await Promise.all([adminFigures(typeA, before), adminFigures(typeA, after)]);
    const gauge = (name: string) => valueOf(families, name, { job_type: typeA });

    expect(gauge(M.throughput.name)).toBeCloseTo(then.throughput_per_minute, 9);
    expect(gauge(M.queueDepth.name)).toBe(then.queue_depth);
    expect(gauge(M.stuck.name)).toBe(then.stuck);
    // Measured when the app answered: between the two.
    expect(gauge(M.oldestPendingAge.name)).toBeGreaterThanOrEqual(then.oldest_pending_seconds);
    expect(gauge(M.oldestPendingAge.name)).toBeLessThanOrEqual(later.oldest_pending_seconds);
    // By hand: nine finished in the hour; two pending and one retrying; the two-hour run.
    expect(then).toMatchObject({ throughput_per_minute: 9 / 60, queue_depth: 3, stuck: 1 });
    expect(then.oldest_pending_seconds).toBeGreaterThan(30 * 60);

    // A type with nothing queued keeps its series, at zero.
    expect(valueOf(families, M.queueDepth.name, { job_type: typeB })).toBe(0);
    expect(valueOf(families, M.oldestPendingAge.name, { job_type: typeB })).toBe(0);
  });

  it("lists the open incidents as the alert_incidents table has them", async () => {
    const families = parseScrape(await scrapeText());
    const rows = await sql(
      "select rule, job_type, count(*)::int as open from public.alert_incidents where resolved_at is null group by 1, 2",
    );
    const expected = z
      .array(z.object({ rule: z.string(), job_type: z.string(), open: z.number() }))
      .parse(rows)
      .map(({ rule, job_type, open }) => ({ labels: { rule, job_type }, value: open }));
    const exposed = families.get(M.openIncidents.name)?.metrics ?? [];
    const key = (s: { labels: Record<string, string> }) => `${s.labels.rule}/${s.labels.job_type}`;
    expect([...exposed].sort((x, y) => key(x).localeCompare(key(y)))).toEqual(
      expected.sort((x, y) => key(x).localeCompare(key(y))),
    );
    expect(valueOf(families, M.openIncidents.name, { rule: "queue_depth", job_type: typeB })).toBe(1);
  });

  it("keeps its counters when the cleanup deletes the jobs they counted", async () => {
    const before = await scrapeText();
    const purge = async (status: TerminalStatus, olderThanDays: number) => {
      for (let deleted = -1; deleted !== 0; ) deleted = await deleteExpiredJobs(db, { status, olderThanDays, batchSize: 500 });
    };
    await purge("completed", 30);
    await purge("cancelled", 30);
    await purge("failed", 90);
    // The jobs are gone: SQL over the table now counts fewer.
    expect(await countedFromJobs(typeA)).toEqual({ completed: 7, failed: 2, cancelled: 1 });

    const after = await scrapeText();
    const [was, is] = [parseScrape(before), parseScrape(after)];
    for (const name of [M.jobsCompleted.name, M.jobsFailed.name, M.jobsCancelled.name]) {
      expect(valueOf(is, name, { job_type: typeA }), name).toBe(valueOf(was, name, { job_type: typeA }));
    }
    expect(valueOf(is, M.jobsCompleted.name, { job_type: typeA })).toBe(8);
    expect(histogramOf(after, M.jobDuration.name, { job_type: typeA })).toEqual(
      histogramOf(before, M.jobDuration.name, { job_type: typeA }),
    );
  });
});
