import path from "node:path";
import type { TestProject } from "vitest/node";
import { startMail } from "@/devstack/mail/server";
import { resendAuthMail } from "@/devstack/supabase/auth-mail";
import { startSupabase } from "@/devstack/supabase/server";
import { createTestDatabase, type DatabaseKind } from "./databases";
import { freePort } from "./free-port";
import { startSqlHook } from "./sql-hook";

declare module "vitest" {
  export interface ProvidedContext {
    database: DatabaseKind;
    supabaseUrl: string;
    /** POST `{ text, params? }`: SQL as the database owner, answered with the rows (./sql-hook.ts). */
    sqlUrl: string;
    /** The inbox the Auth server's emails (confirmation, recovery, email change) go to. */
    authMailUrl: string;
  }
}

/** Starts a devstack Supabase API over a fresh database for one integration project. */
export default async function setup(project: TestProject) {
  process.env.DO_NOT_TRACK = "1";
  // PGlite's WebAssembly runtime writes its own statuses to process.exitCode (99 when it
  // starts, others while it runs, 0 when it shuts down), which would decide the run's exit
  // status instead of its tests. Vitest sets 1 for a failure before this teardown runs, so
  // the teardown keeps a 1 and otherwise puts back what the code was before PGlite.
  const exitCodeBefore = process.exitCode;
  const kind = project.config.provide.database as DatabaseKind;
  // vitest.config.ts leaves the PostgreSQL project out unless it is asked for; say so once.
  if (kind === "pglite" && !project.vitest.projects.some((p) => p.name === "integration:postgres")) {
    console.log("PostgreSQL pass skipped: set TEST_DATABASE_URL (or CI) to run it");
  }
  const database = await createTestDatabase(kind);
  // Auth's emails land in an outbox of their own, as the devstack's land in the inbox.
  const authMail = await startMail({ port: await freePort() });
  const stack = await startSupabase({
    projectDir: path.resolve(import.meta.dirname, "../../supabase"),
    port: await freePort(),
    databaseUrl: database.databaseUrl,
    authMail: resendAuthMail({ url: authMail.url }),
  });
  process.exitCode = exitCodeBefore;
  project.provide("supabaseUrl", stack.url);
  project.provide("authMailUrl", authMail.url);
  const sql = await startSqlHook(stack.query);
  project.provide("sqlUrl", sql.url);
  return async () => {
    const failed = process.exitCode === 1;
    try {
      await sql.close();
      await stack.close();
      await authMail.close();
      await database.drop();
    } finally {
      process.exitCode = failed ? 1 : exitCodeBefore;
    }
  };
}
