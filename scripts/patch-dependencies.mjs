// Applies the patches in patches/ to installed dependencies (npm's postinstall).
//
// patch-package can't keep a patch small against a minified bundle: a unified diff carries
// whole lines, and @supabase/lite ships lines of 100 kB. So each patch here is a list of
// exact text replacements, each of which must match once, applied to the pristine file
// (kept beside it as `<file>.orig`) so that re-running is safe and edits to a patch apply.
// A patch that no longer matches stops the install: the dependency changed under it.
import { createHash } from "node:crypto";
import { copyFile, readdir, readFile, rename, writeFile, access } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @typedef {{ find: string, replace: string, file?: string }} Edit
 * @typedef {{ package: string, version: string, file: string, title: string, upstream: string, edits: Edit[] }} Patch
 */

const exists = (file) => access(file).then(() => true, () => false);
const MARK = "/* patched: see patches/ in the project that installed this */\n";

/** The edits of `patches` (in order) for `file`; an edit names its own file when it isn't the patch's. */
function editsFor(file, patches) {
  return patches.flatMap(({ name, patch }) =>
    patch.edits
      .map((edit, index) => ({ name, patch, edit, index }))
      .filter(({ edit }) => (edit.file ?? patch.file) === file),
  );
}

/** Applies `patches`' edits for `file` to `source`; throws naming the edit whose text isn't there once. */
export function applyPatches(source, file, patches) {
  let text = source;
  for (const { name, patch, edit, index } of editsFor(file, patches)) {
    const first = text.indexOf(edit.find);
    if (first === -1 || text.indexOf(edit.find, first + 1) !== -1) {
      throw new Error(
        `patch ${name} (${patch.title}), edit ${index + 1}: its text occurs ${first === -1 ? "nowhere" : "more than once"} in ${patch.package}/${file}`,
      );
    }
    text = text.slice(0, first) + edit.replace + text.slice(first + edit.find.length);
  }
  return text;
}

/** Loads every patch in `dir`, in file-name order. */
export async function loadPatches(dir) {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".mjs")).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      // Keyed by content: a patch edited since this process first loaded it loads anew.
      const version = createHash("sha1").update(await readFile(file)).digest("hex");
      const patch = /** @type {Patch} */ ((await import(`${pathToFileURL(file).href}?${version}`)).default);
      return { name, patch };
    }),
  );
}

/** Patches the packages under `nodeModules` with the patches in `patchesDir`; returns what it did. */
export async function patchDependencies({ patchesDir, nodeModules }) {
  const patches = await loadPatches(patchesDir);
  const targets = new Map();
  for (const { patch } of patches) {
    for (const edit of patch.edits) {
      const file = edit.file ?? patch.file;
      targets.set(`${patch.package}\0${file}`, { name: patch.package, version: patch.version, file });
    }
  }
  const report = [];
  // A file whose last patch was removed goes back to its pristine copy.
  for (const name of new Set(patches.map(({ patch }) => patch.package))) {
    const packageDir = path.join(nodeModules, name);
    if (!(await exists(packageDir))) continue;
    for (const entry of await readdir(packageDir, { recursive: true })) {
      const file = entry.replace(/\.orig$/, "").split(path.sep).join("/");
      if (entry === file || targets.has(`${name}\0${file}`)) continue;
      await rename(path.join(packageDir, entry), path.join(packageDir, file));
      report.push(`${name}/${file}: restored`);
    }
  }
  for (const { name, version, file } of targets.values()) {
    const packageDir = path.join(nodeModules, name);
    // Not installed (e.g. `npm install --omit=dev` on a server): nothing to patch.
    if (!(await exists(path.join(packageDir, "package.json")))) continue;
    const installed = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")).version;
    if (installed !== version) {
      throw new Error(`${name} is ${installed}, but patches/ was written for ${version}: re-check each patch against the new version`);
    }
    const target = path.join(packageDir, file);
    const pristine = `${target}.orig`;
    if (!(await exists(pristine))) {
      if ((await readFile(target, "utf8")).includes(MARK)) {
        throw new Error(`${target} is patched but its pristine copy is gone: reinstall ${name}`);
      }
      await copyFile(target, pristine);
    }
    const source = applyPatches(await readFile(pristine, "utf8"), file, patches.filter(({ patch }) => patch.package === name));
    const shebang = source.startsWith("#!") ? source.slice(0, source.indexOf("\n") + 1) : "";
    const patched = shebang + MARK + source.slice(shebang.length);
    // Write a new file rather than into the old one: a hard-linked copy of node_modules
    // (a second checkout) keeps its own.
    await writeFile(`${target}.tmp`, patched);
    await rename(`${target}.tmp`, target);
    const names = new Set(editsFor(file, patches.filter(({ patch }) => patch.package === name)).map((entry) => entry.name));
    report.push(`${name}/${file}: ${[...names].join(", ")}`);
  }
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = await patchDependencies({ patchesDir: path.join(root, "patches"), nodeModules: path.join(root, "node_modules") });
  for (const line of report) console.log(`patched ${line}`);
}
