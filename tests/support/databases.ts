import { randomBytes } from "node:crypto";
import postgres from "postgres";

export type DatabaseKind = "pglite" | "postgres";

/** The PostgreSQL server integration tests use; each run gets its own database on it. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDatabase = { databaseUrl?: string; drop: () => Promise<void> };

/** A fresh, empty database: in-memory PGlite, or a new database on the PostgreSQL server. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") return { drop: async () => {} };

  const name = `offload_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end();
    // In CI the PostgreSQL pass is mandatory (vitest.config.ts), so say both ways out.
    const what = process.env.TEST_DATABASE_URL
      ? "is TEST_DATABASE_URL right?"
      : process.env.CI
        ? "set TEST_DATABASE_URL, or unset CI"
        : "set TEST_DATABASE_URL";
    throw new Error(`No PostgreSQL server to test on at ${TEST_POSTGRES_URL} (${what}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
