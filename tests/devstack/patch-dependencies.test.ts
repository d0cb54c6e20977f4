import { link, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { patchDependencies } from "@/scripts/patch-dependencies.mjs";

describe("patch-dependencies", () => {
  let dir: string;
  const nodeModules = () => path.join(dir, "node_modules");
  const patchesDir = () => path.join(dir, "patches");
  const target = () => path.join(nodeModules(), "@scope", "lib", "dist", "index.js");

  async function install(source: string, version = "1.0.0") {
    await mkdir(path.dirname(target()), { recursive: true });
    await writeFile(path.join(nodeModules(), "@scope", "lib", "package.json"), JSON.stringify({ version }));
    await rm(`${target()}.orig`, { force: true });
    await writeFile(target(), source);
  }
  async function addPatch(name: string, edits: { find: string; replace: string; file?: string }[]) {
    const patch = { package: "@scope/lib", version: "1.0.0", file: "dist/index.js", title: name, upstream: "", edits };
    await writeFile(path.join(patchesDir(), name), `export default ${JSON.stringify(patch)};\n`);
  }
  const run = () => patchDependencies({ patchesDir: patchesDir(), nodeModules: nodeModules() });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "patch-deps-"));
    await mkdir(patchesDir());
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("applies each patch's edits in file-name order and marks the file", async () => {
    await install("const a = 1; const b = 2;");
    await addPatch("b.mjs", [{ find: "const b = 2", replace: "const b = 20" }]);
    await addPatch("a.mjs", [{ find: "a = 1", replace: "a = 10" }]);
    expect(await run()).toEqual(["@scope/lib/dist/index.js: a.mjs, b.mjs"]);
    const patched = await readFile(target(), "utf8");
    expect(patched).toMatch(/^\/\* patched: .*\*\/\nconst a = 10; const b = 20;$/);
  });

  it("applies an edit to the other file it names", async () => {
    await install("one");
    const other = path.join(nodeModules(), "@scope", "lib", "dist", "other.js");
    await writeFile(other, "two");
    await addPatch("a.mjs", [
      { find: "one", replace: "1" },
      { find: "two", replace: "2", file: "dist/other.js" },
    ]);
    expect(await run()).toEqual(["@scope/lib/dist/index.js: a.mjs", "@scope/lib/dist/other.js: a.mjs"]);
    expect(await readFile(other, "utf8")).toMatch(/\n2$/);
    expect(await readFile(target(), "utf8")).toMatch(/\n1$/);
  });

  it("re-applies from the pristine copy, so running again or editing a patch is safe", async () => {
    await install("let x = 1;");
    await addPatch("a.mjs", [{ find: "x = 1", replace: "x = 1 + 1" }]);
    await run();
    await run();
    expect(await readFile(target(), "utf8")).toContain("let x = 1 + 1;");
    await addPatch("a.mjs", [{ find: "x = 1", replace: "x = 3" }]);
    await run();
    expect(await readFile(target(), "utf8")).toContain("let x = 3;");
    expect(await readFile(`${target()}.orig`, "utf8")).toBe("let x = 1;");
  });

  it("puts a file back when its last patch is removed", async () => {
    await install("keep");
    const other = path.join(nodeModules(), "@scope", "lib", "dist", "other.js");
    await writeFile(other, "undo");
    await addPatch("a.mjs", [{ find: "keep", replace: "kept" }]);
    await addPatch("b.mjs", [{ find: "undo", replace: "done", file: "dist/other.js" }]);
    await run();
    await rm(path.join(patchesDir(), "b.mjs"));
    expect(await run()).toEqual(["@scope/lib/dist/other.js: restored", "@scope/lib/dist/index.js: a.mjs"]);
    expect(await readFile(other, "utf8")).toBe("undo");
    expect(await readFile(target(), "utf8")).toMatch(/\nkept$/);
  });

  it("stops when a patch's text is missing or ambiguous, naming the patch", async () => {
    await install("f(); f();");
    await addPatch("gone.mjs", [{ find: "g()", replace: "h()" }]);
    await expect(run()).rejects.toThrow(/patch gone\.mjs .*edit 1: its text occurs nowhere/);
    await rm(path.join(patchesDir(), "gone.mjs"));
    await addPatch("twice.mjs", [{ find: "f()", replace: "h()" }]);
    await expect(run()).rejects.toThrow(/patch twice\.mjs .*more than once/);
  });

  it("stops when another version is installed, and skips a package that isn't installed", async () => {
    await addPatch("a.mjs", [{ find: "x", replace: "y" }]);
    expect(await run()).toEqual([]);
    await install("x", "1.0.1");
    await expect(run()).rejects.toThrow(/is 1\.0\.1, but patches\/ was written for 1\.0\.0/);
  });

  it("leaves a hard-linked copy of the file alone", async () => {
    await install("v = 1");
    const copy = path.join(dir, "other-checkout.js");
    await link(target(), copy);
    await addPatch("a.mjs", [{ find: "v = 1", replace: "v = 2" }]);
    await run();
    expect(await readFile(copy, "utf8")).toBe("v = 1");
  });
});
