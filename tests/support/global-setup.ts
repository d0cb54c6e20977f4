import path from "node:path";
import type { TestProject } from "vitest/node";
import { startSupabase } from "@/devstack/supabase/server";
import { createTestDatabase, type DatabaseKind } from "./databases";
import { freePort } from "./free-port";

declare module "vitest" {
  export interface ProvidedContext {
    database: DatabaseKind;
    supabaseUrl: string;
  }
}

/** Starts a devstack Supabase API over a fresh database for one integration project. */
export default async function setup(project: TestProject) {
  process.env.DO_NOT_TRACK = "1";
  const kind = project.config.provide.database as DatabaseKind;
  const database = await createTestDatabase(kind);
  const stack = await startSupabase({
    projectDir: path.resolve(import.meta.dirname, "../../supabase"),
    port: await freePort(),
    databaseUrl: database.databaseUrl,
  });
  project.provide("supabaseUrl", stack.url);
  return async () => {
    await stack.close();
    await database.drop();
  };
}
