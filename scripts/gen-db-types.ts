/**
 * `npm run db:types`: regenerates lib/supabase/database.types.ts from supabase/migrations.
 *
 * Applies the migrations to a throwaway in-memory database, then runs Supabase's own
 * type generator (@supabase/postgrest-typegen, the engine behind `supabase gen types`)
 * over it. `--check` exits 1 when the committed file is stale instead of writing it.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateDatabaseTypes } from "./db-types";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, "lib/supabase/database.types.ts");

const generated = await generateDatabaseTypes(path.join(root, "supabase"));

if (process.argv.includes("--check")) {
  const committed = await readFile(target, "utf8").catch(() => "");
  if (committed !== generated) {
    console.error(`${path.relative(root, target)} is stale: run \`npm run db:types\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${path.relative(root, target)} matches supabase/migrations.`);
} else {
  await writeFile(target, generated, "utf8");
  console.log(`Wrote ${path.relative(root, target)}.`);
}
