/**
 * `npm run bench`: runs every benchmark in bench/ and prints its figures.
 * Benchmarks report numbers; they never pass or fail on them.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = (await readdir(dir))
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

for (const file of files) {
  console.log(`\n# ${file}`);
  const bench = (await import(pathToFileURL(path.join(dir, file)).href)) as { run: () => Promise<void> };
  await bench.run();
}
