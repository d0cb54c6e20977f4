import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { applyMigrations } from "@/devstack/supabase/migrations";
import { prepareDatabase, type PreparedDatabase } from "@/devstack/supabase/server";
import { createTestDatabase, type TestDatabase } from "../support/databases";

const supabaseDir = path.resolve(import.meta.dirname, "../../supabase");
const ALERT_CHANNELS_VERSION = "20261205010000";

/**
 * The alert channels' migration over an install that emailed incidents before channels
 * existed (alert_incidents.notified_at): an open incident already emailed must not be
 * emailed again on deploy, and one already resolved has nothing left to say.
 */
describe(`the alert channels' backfill on ${inject("database")}`, () => {
  let database: TestDatabase;
  let prepared: PreparedDatabase;
  let projectDir: string;

  beforeAll(async () => {
    // The project as it was before channels: every migration older than theirs.
    projectDir = await mkdtemp(path.join(tmpdir(), "offload-alert-channels-"));
    await cp(supabaseDir, projectDir, {
      recursive: true,
      filter: (source) => !/^\d{14}_/.test(path.basename(source)) || path.basename(source) < ALERT_CHANNELS_VERSION,
    });
    database = await createTestDatabase(inject("database"));
    prepared = await prepareDatabase({ projectDir, databaseUrl: database.databaseUrl, seed: false });
  });

  afterAll(async () => {
    await prepared?.close();
    await database?.drop();
    if (projectDir) await rm(projectDir, { recursive: true, force: true });
  });

  it("records the openings already emailed as sent on email, and only those of open incidents", async () => {
    await prepared.query(
      `insert into public.alert_incidents (rule, job_type, value, threshold, opened_at, last_seen_at, resolved_at, notified_at)
       values
         ('dead_letters', 'emailed', 11, 10, now() - interval '2 days', now(), null, now() - interval '2 days'),
         ('dead_letters', 'not-yet-emailed', 11, 10, now() - interval '1 hour', now(), null, null),
         ('dead_letters', 'emailed-and-resolved', 11, 10, now() - interval '3 days', now() - interval '2 days', now() - interval '2 days', now() - interval '3 days')`,
    );

    await applyMigrations(prepared, { migrationsDir: path.join(supabaseDir, "migrations") });

    const notifications = z
      .array(z.object({ job_type: z.string(), channel: z.string(), kind: z.string(), sent: z.boolean(), on_time: z.boolean() }))
      .parse(
        await prepared.query(
          `select i.job_type, n.channel, n.kind, n.sent_at is not null as sent, n.sent_at = i.notified_at as on_time
           from public.alert_notifications n join public.alert_incidents i on i.id = n.incident_id`,
        ),
      );
    expect(notifications).toEqual([{ job_type: "emailed", channel: "email", kind: "open", sent: true, on_time: true }]);

    // What the check reads: the emailed incident's opening is done on email (so only other
    // channels get it), the other open one has everything ahead of it, the resolved one no news.
    const news = z
      .array(z.object({ job_type: z.string(), opened_on: z.array(z.string()), resolved_on: z.array(z.string()) }))
      .parse(await prepared.query("select job_type, opened_on, resolved_on from public.alert_incidents_with_news() order by job_type"));
    expect(news).toEqual([
      { job_type: "emailed", opened_on: ["email"], resolved_on: [] },
      { job_type: "not-yet-emailed", opened_on: [], resolved_on: [] },
    ]);
  });
});
