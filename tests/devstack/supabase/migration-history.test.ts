import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "@/devstack/supabase/migrations";

const migrationsDir = path.resolve(import.meta.dirname, "../../../supabase/migrations");

/** A database whose history holds `versions`, recording every script it is asked to run. */
function databaseWith(versions: string[]) {
  const ran: string[] = [];
  return {
    ran,
    db: {
      run: async (sql: string) => void ran.push(sql),
      query: async <T>(sql: string): Promise<T[]> =>
        (sql.includes("schema_migrations") ? versions.map((version) => ({ version })) : []) as T[],
    },
  };
}

describe("applying migrations to a database that already has a history", () => {
  it("applies only the versions it lacks", async () => {
    const [first, ...rest] = await listMigrations(migrationsDir);
    const { db, ran } = databaseWith([first!.version]);
    const { applied } = await applyMigrations(db, { migrationsDir });
    expect(applied).toEqual(rest.map((m) => m.version));
    expect(ran).toHaveLength(rest.length);
  });

  it("refuses, running nothing, when the database records a version the folder doesn't have (as `supabase db push` does)", async () => {
    const [first] = await listMigrations(migrationsDir);
    const { db, ran } = databaseWith([first!.version, "20261123025000"]);
    await expect(applyMigrations(db, { migrationsDir })).rejects.toThrow(
      /Remote migration versions not found in migrations: 20261123025000\. .*recreate it/,
    );
    expect(ran).toEqual([]);
  });
});
