import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareDatabase, type PreparedDatabase } from "@/devstack/supabase/server";
import { listMigrations } from "@/devstack/supabase/migrations";
import { TABLES } from "@/lib/health/deep";
import { createTestDatabase, type TestDatabase } from "../support/databases";

const supabaseDir = path.resolve(import.meta.dirname, "../../supabase");

describe(`migrations on ${inject("database")}`, () => {
  let database: TestDatabase;
  let prepared: PreparedDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(inject("database"));
    prepared = await prepareDatabase({ projectDir: supabaseDir, databaseUrl: database.databaseUrl });
  });

  afterAll(async () => {
    await prepared?.close();
    await database?.drop();
  });

  it("apply from zero and are recorded in the Supabase CLI's history", async () => {
    const files = await listMigrations(path.join(supabaseDir, "migrations"));
    const history = await prepared.query<{ version: string; name: string }>(
      "select version, name from supabase_migrations.schema_migrations order by version",
    );
    expect(history).toEqual(files.map(({ version, name }) => ({ version, name })));

    const tables = await prepared.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    // Exactly the tables the deep health check reads, which its types hold to the generated ones.
    expect(tables.map((t) => t.table_name).sort()).toEqual([...TABLES].sort());
  });

  it("enable row-level security on every public table", async () => {
    const withoutRls = await prepared.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity`,
    );
    expect(withoutRls).toEqual([]);
  });

  it("are applied once: preparing the same database again changes nothing", async () => {
    if (!database.databaseUrl) return; // an in-memory PGlite can't be reopened
    const again = await prepareDatabase({ projectDir: supabaseDir, databaseUrl: database.databaseUrl });
    try {
      const seeds = await again.query("select path from supabase_migrations.seed_files");
      expect(seeds).toEqual([{ path: "seed.sql" }]);
      const history = await again.query("select version from supabase_migrations.schema_migrations");
      expect(history).toHaveLength((await listMigrations(path.join(supabaseDir, "migrations"))).length);
    } finally {
      await again.close();
    }
  });

  it("leave the demo data generator to seed.sql: the migrations alone make none", async () => {
    const generators = "select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname = 'generate_activity'";
    expect(await prepared.query(generators)).toEqual([{ proname: "generate_activity" }]);
    const schemaOnly = await createTestDatabase(inject("database"));
    const pushed = await prepareDatabase({ projectDir: supabaseDir, databaseUrl: schemaOnly.databaseUrl, seed: false });
    try {
      expect(await pushed.query(generators)).toEqual([]);
      expect(await pushed.query("select path from supabase_migrations.seed_files")).toEqual([]);
    } finally {
      await pushed.close();
      await schemaOnly.drop();
    }
  });

  it("index the jobs table for the queue and per-organisation views", async () => {
    const indexes = await prepared.query<{ indexdef: string }>(
      "select indexdef from pg_indexes where schemaname = 'public' and tablename = 'jobs'",
    );
    const defs = indexes.map((i) => i.indexdef.replace(/^.* USING btree /, ""));
    expect(defs).toEqual(
      expect.arrayContaining(["(status, created_at)", "(org_id, status, created_at)", "(type, idempotency_key)"]),
    );
  });
});
