import http from "node:http";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { z } from "zod";
import { startMail } from "@/devstack/mail/server";
import { resendAuthMail } from "@/devstack/supabase/auth-mail";
import { startSupabase } from "@/devstack/supabase/server";
import { createTestDatabase, type DatabaseKind } from "./databases";
import { freePort } from "./free-port";

declare module "vitest" {
  export interface ProvidedContext {
    database: DatabaseKind;
    supabaseUrl: string;
    /** POST `{ text, params? }`: SQL as the database owner, answered with the rows (see below). */
    sqlUrl: string;
    /** The inbox the Auth server's emails (confirmation, recovery, email change) go to. */
    authMailUrl: string;
  }
}

const sqlRequestSchema = z.object({ text: z.string(), params: z.array(z.unknown()).default([]) });

/**
 * Test-only: SQL as the database owner over loopback HTTP, for seeding at scale (10,000
 * users in one statement rather than 10,000 sign-ups). PGlite lives in this process, out
 * of the test workers' reach, so the hook lives here too and works for both databases.
 */
async function startSqlHook(query: (text: string, params: unknown[]) => Promise<unknown[]>) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      void (async () => {
        try {
          const { text, params } = sqlRequestSchema.parse(JSON.parse(body));
          const rows = await query(text, params);
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(rows));
        } catch (error) {
          res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
        }
      })();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
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
