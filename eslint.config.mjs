import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig, globalIgnores } from "eslint/config";
import { builtinRules } from "eslint/use-at-your-own-risk";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const root = import.meta.dirname;

// Boundaries. Imports are checked by where they resolve to (import/no-restricted-paths, with
// the resolvers eslint-config-next sets up), so `@/lib/env` and `../env` are the same import.

/** What ships: every file `next build` compiles, and its config. */
const production = ["./app", "./lib", "./components", "./inngest", "./proxy.ts", "./next.config.ts"];
/** What develops, tests and measures it, run by tsx, vitest or Playwright, never deployed. */
const tooling = ["./devstack", "./tests", "./bench", "./e2e", "./scripts"];

/**
 * The modules that say they are server-only (`import "server-only"`: env, the secret-holding
 * clients and signers), read from the files so the mark in the module is the one list.
 */
const serverOnlyModules = ["app", "components", "inngest", "lib"].flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file))
    .filter((file) => /^import "server-only";$/m.test(readFileSync(path.join(root, dir, file), "utf8")))
    .map((file) => `./${dir}/${file.split(path.sep).join("/")}`),
);

const layering = [
  {
    target: "./lib",
    from: ["./app", "./components"],
    message: "lib/ is the domain layer: app/ and components/ build on it, never the other way round.",
  },
  {
    target: "./lib",
    from: "./inngest",
    except: ["./events.ts", "./client.ts"],
    message: "lib/ may send events (inngest/client.ts, inngest/events.ts); the rest of inngest/ composes lib/, not the reverse.",
  },
];

/** The zones of a file; the benchmark's floor routes are in app/ to be routes, and may use bench/. */
const zones = ({ floorRoute = false } = {}) => [
  ...layering,
  {
    target: production,
    from: floorRoute ? tooling.filter((folder) => folder !== "./bench") : tooling,
    message: "production code must not depend on the devstack, tests, benchmarks or scripts.",
  },
  {
    target: production,
    from: "./**/*.bench.ts",
    message: "*.bench.ts is benchmark code (route.bench.ts is a route only in a benchmark build).",
  },
  {
    target: tooling.filter((folder) => folder !== "./tests").concat("./playwright.config.ts"),
    from: serverOnlyModules,
    message: 'this runs outside Next, where a module marked "server-only" throws when imported: pass it what it needs (a secret from the environment) instead.',
  },
];

/**
 * Client modules must not import server-only code. A `files` glob can't see "use client",
 * so these rules run everywhere and act only in a file that starts with the directive, or in
 * a lib/**\/client/ folder (the fetchers, hooks and keys client components use, some without
 * the directive). Limits: they see a file's own imports; a component is client code also
 * when it has no directive but a client module imports it; and only modules marked
 * "server-only" count as server code. The first two gaps are closed at build time: Next
 * fails `next build` and `next dev` when a client module reaches a marked module through
 * any chain of imports. The third is why a module that reads a secret gets the mark.
 */
function isClientModule(context) {
  const file = path.relative(root, context.physicalFilename).split(path.sep).join("/");
  if (/^lib\/(.+\/)?client\//.test(file)) return true;
  for (const statement of context.sourceCode.ast.body) {
    if (statement.type !== "ExpressionStatement" || typeof statement.directive !== "string") break;
    if (statement.directive === "use client") return true;
  }
  return false;
}

const inClientModules = (rule) => ({
  meta: rule.meta,
  create: (context) => (isClientModule(context) ? rule.create(context) : {}),
});

const importPlugin = [...nextVitals, ...nextTs].find((config) => config.plugins?.import).plugins.import;
const clientPlugin = {
  rules: {
    "no-restricted-paths": inClientModules(importPlugin.rules["no-restricted-paths"]),
    "no-restricted-imports": inClientModules(builtinRules.get("no-restricted-imports")),
  },
};
const clientMessage = "a client module must not import server code: its imports are sent to the browser.";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // A patch is one exported object, named by its file.
  { files: ["patches/**"], rules: { "import/no-anonymous-default-export": "off" } },
  { rules: { "import/no-restricted-paths": ["error", { basePath: root, zones: zones() }] } },
  {
    files: ["app/**/*.bench.ts"],
    rules: { "import/no-restricted-paths": ["error", { basePath: root, zones: zones({ floorRoute: true }) }] },
  },
  {
    plugins: { client: clientPlugin },
    rules: {
      "client/no-restricted-paths": [
        "error",
        { basePath: root, zones: [{ target: ".", from: serverOnlyModules, message: clientMessage }] },
      ],
      "client/no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "next/headers", message: clientMessage },
            { name: "server-only", message: clientMessage },
          ],
        },
      ],
    },
  },
  globalIgnores([
    ".next/**",
    ".next-e2e/**",
    ".next-bench/**",
    ".next-test-*/**",
    ".devstack/**",
    "node_modules/**",
    "test-results/**",
    "playwright-report/**",
    "tmp/**",
    "next-env.d.ts",
    "lib/supabase/database.types.ts",
  ]),
]);
