import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Runs one SQL script (several statements) inside a transaction. */
export type ScriptRunner = (sql: string) => Promise<void>;
/** Runs one query with parameters and returns its rows. */
export type QueryRunner = <Row>(sql: string, params?: unknown[]) => Promise<Row[]>;

const MIGRATION_FILE = /^(\d{14})_(.+)\.sql$/;

export type MigrationFile = { version: string; name: string; file: string };

/** `supabase/migrations/<14-digit version>_<name>.sql`, in version order, as the Supabase CLI reads them. */
export async function listMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir);
  return entries
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      return match ? { version: match[1], name: match[2], file: path.join(migrationsDir, file) } : null;
    })
    .filter((m): m is MigrationFile => m !== null)
    .sort((a, b) => a.version.localeCompare(b.version));
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Hosted projects run migrations and the seed as `postgres`, which is not a superuser;
 * the devstack's stand-in for it is `migration_owner` (bootstrap.sql). The history row is
 * written by the connection's own role, as the CLI's bookkeeping is.
 */
const asMigrationOwner = (sql: string, record: string) =>
  `set local role migration_owner;\n${sql}\n;reset role;\n${record}`;

/**
 * Applies pending migrations, then the seed once, recording both in the Supabase CLI's
 * history tables (`supabase_migrations.schema_migrations`, `.seed_files`) so a database
 * prepared here looks like one prepared by `supabase db reset`.
 */
export async function applyMigrations(
  db: { run: ScriptRunner; query: QueryRunner },
  options: { migrationsDir: string; seedFile?: string },
): Promise<{ applied: string[]; seeded: boolean }> {
  const done = new Set(
    (await db.query<{ version: string }>("select version from supabase_migrations.schema_migrations")).map(
      (r) => r.version,
    ),
  );
  const migrations = await listMigrations(options.migrationsDir);
  // As `supabase db push` does: a database that records a version the folder lacks was
  // migrated by another history, and applying the rest on top would leave a schema that
  // matches neither (and types that lie about it).
  const unknown = [...done].filter((version) => !migrations.some((m) => m.version === version));
  if (unknown.length > 0) {
    throw new Error(
      `Remote migration versions not found in ${path.basename(options.migrationsDir)}: ${unknown.sort().join(", ")}. ` +
        "This database was migrated by another history: recreate it (for the devstack's own, delete .devstack/pglite).",
    );
  }
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    const sql = await readFile(migration.file, "utf8");
    try {
      await db.run(
        asMigrationOwner(
          sql,
          `insert into supabase_migrations.schema_migrations (version, name, statements) ` +
            `values (${quote(migration.version)}, ${quote(migration.name)}, array[${quote(sql)}]);`,
        ),
      );
    } catch (error) {
      throw new Error(`Migration ${path.basename(migration.file)} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    applied.push(migration.version);
  }

  let seeded = false;
  if (options.seedFile) {
    const seedPath = path.relative(path.dirname(options.migrationsDir), options.seedFile);
    const already = await db.query("select 1 from supabase_migrations.seed_files where path = $1", [seedPath]);
    if (already.length === 0) {
      const sql = await readFile(options.seedFile, "utf8");
      const hash = createHash("sha256").update(sql).digest("hex");
      await db.run(
        asMigrationOwner(
          sql,
          `insert into supabase_migrations.seed_files (path, hash) values (${quote(seedPath)}, ${quote(hash)});`,
        ),
      );
      seeded = true;
    }
  }
  return { applied, seeded };
}
