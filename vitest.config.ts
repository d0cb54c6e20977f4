import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
// Outside Next, `server-only` throws when imported; tests run server modules directly, so here it is empty.
Object.assign(alias, { "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") });

/**
 * unit: no servers. integration: against the devstack's Supabase API, once over embedded
 * PGlite and once over the PostgreSQL server (TEST_DATABASE_URL, default 127.0.0.1:5432),
 * each started fresh by tests/support/global-setup.ts.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/**/*.test.ts"], exclude: ["tests/**/*.int.test.ts"] },
      },
      ...(["pglite", "postgres"] as const).map((database) => ({
        resolve: { alias },
        test: {
          name: `integration:${database}`,
          include: ["tests/**/*.int.test.ts"],
          globalSetup: ["tests/support/global-setup.ts"],
          provide: { database },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // One stack per project; files share it, so run them one at a time.
          fileParallelism: false,
        },
      })),
    ],
  },
});
