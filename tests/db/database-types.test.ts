import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { generateDatabaseTypes } from "@/scripts/db-types";

const root = path.resolve(import.meta.dirname, "../..");

it("lib/supabase/database.types.ts matches supabase/migrations (run `npm run db:types`)", async () => {
  const committed = await readFile(path.join(root, "lib/supabase/database.types.ts"), "utf8");
  expect(committed).toBe(await generateDatabaseTypes(path.join(root, "supabase")));
}, 60_000);
