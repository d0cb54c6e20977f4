import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // Outside Next, `server-only` throws when imported; tests run server modules directly, so here it is empty.
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

/**
 * The integration suites whose outcome depends on the database engine: they run over
 * embedded PGlite and again over the PostgreSQL server. PGlite is PostgreSQL in one
 * connection, so what it can't show is locking and concurrency between connections, a
 * server's roles and settings, and volume; every other suite tests the app, not the
 * engine, and runs once, over PGlite.
 */
const engineDependent = [
  // Migrations, their grants and row-level security, as the server's roles see them.
  "tests/db/*.int.test.ts",
  // The hosted statement timeouts and role settings the devstack applies.
  "tests/devstack/hosted-defaults.int.test.ts",
  // The Supabase API stand-in's catalog lookups and transactions (rpc, embeds, Prefer: tx).
  "tests/devstack/supabase/{rpc,embeds,writes}.int.test.ts",
  // PostgreSQL's errors as each driver reports them, passed through with their SQLSTATE.
  "tests/devstack/supabase/errors.int.test.ts",
  // Replays that lose a race, told apart by the SQLSTATE and hint each driver passes on.
  "tests/admin/replay-race.int.test.ts",
  // One job per idempotency key under concurrent creates (a unique index across connections).
  "tests/jobs/store.int.test.ts",
  // Batched deletes that skip locked rows.
  "tests/jobs/cleanup.int.test.ts",
  // Alert messages claimed once when two checks race (an upsert across connections).
  "tests/alerts/incidents.int.test.ts",
  // enqueue_report's advisory lock.
  "tests/reports/enqueue.int.test.ts",
  // Rate limit tokens taken under row locks: the reports limiter and Auth's throttling.
  "tests/fairness/rate-limit.int.test.ts",
  "tests/auth/throttling.int.test.ts",
  // 10,000 users in set-based SQL, within the hosted statement timeouts.
  "tests/digest/digest-at-scale.int.test.ts",
];

/**
 * unit: no servers. integration:pglite: every integration suite, against the devstack's
 * Supabase API over in-memory PGlite. integration:postgres: the engine-dependent ones over
 * the PostgreSQL server (TEST_DATABASE_URL, default 127.0.0.1:5432), only when a server is
 * named or CI is set: in CI a missing server must fail the run, not skip half of it.
 * Each project's stack is started fresh by tests/support/global-setup.ts.
 */
const postgresPass = Boolean(process.env.TEST_DATABASE_URL || process.env.CI);

/**
 * The test processes log nothing of their own (lib code they call directly would print
 * between the results); an app a test starts inherits this, and a test that reads the
 * app's lines sets LOG_LEVEL for it.
 */
const env = { LOG_LEVEL: "silent" };

const integration = (database: "pglite" | "postgres", include: string[]) => ({
  resolve: { alias },
  test: {
    name: `integration:${database}`,
    include,
    globalSetup: ["tests/support/global-setup.ts"],
    provide: { database },
    env,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One stack per project; files share it, so run them one at a time.
    fileParallelism: false,
  },
});

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/**/*.test.ts"], exclude: ["tests/**/*.int.test.ts"], env },
      },
      integration("pglite", ["tests/**/*.int.test.ts"]),
      ...(postgresPass ? [integration("postgres", engineDependent)] : []),
    ],
  },
});
