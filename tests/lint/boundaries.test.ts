import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The import boundaries in eslint.config.mjs, run through ESLint on code that crosses each
 * one (and on code that may), linted as if it were the named file: none of these files
 * exists, so the project's own lint never sees them.
 */
const root = path.resolve(import.meta.dirname, "../..");
const boundaryRules = ["import/no-restricted-paths", "client/no-restricted-paths", "client/no-restricted-imports"];

let eslint: ESLint;
beforeAll(async () => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, "eslint.config.mjs") });
  // Loading the config, parser and resolvers takes seconds, once: not inside a test's time.
  await eslint.lintText('import "@/lib/http/errors";\n', { filePath: path.join(root, "lib/fixture.ts") });
}, 120_000);

/** The boundary rules `code` breaks as the file `file` (from the root), one entry per report. */
async function crossed(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const messages = result?.messages ?? [];
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${file} did not parse: ${fatal.message}`);
  return messages.flatMap((message) => (message.ruleId && boundaryRules.includes(message.ruleId) ? [message.ruleId] : []));
}

describe("lib/", () => {
  it("may not import app/, by alias or relative path", async () => {
    expect(await crossed("lib/jobs/fixture.ts", 'import { GET } from "@/app/api/health/route";\nexport { GET };\n')).toEqual([
      "import/no-restricted-paths",
    ]);
    expect(await crossed("lib/jobs/fixture.ts", 'export { GET } from "../../app/api/health/route";\n')).toEqual([
      "import/no-restricted-paths",
    ]);
  });

  it("may not import components/", async () => {
    expect(await crossed("lib/fixture.ts", 'import { Button } from "../components/ui/button";\nexport { Button };\n')).toEqual([
      "import/no-restricted-paths",
    ]);
  });

  it("may not import the Inngest functions, which compose it", async () => {
    expect(await crossed("lib/fixture.ts", 'export { functions } from "@/inngest/functions";\n')).toEqual([
      "import/no-restricted-paths",
    ]);
  });

  it("may send events: the Inngest client and event definitions are allowed", async () => {
    const code = 'import { inngest } from "@/inngest/client";\nimport { reportRequested } from "../inngest/events";\nexport { inngest, reportRequested };\n';
    expect(await crossed("lib/fixture.ts", code)).toEqual([]);
  });
});

describe("production code", () => {
  it("may not import the devstack or tests", async () => {
    expect(await crossed("app/api/fixture/route.ts", 'export { DEFAULT_PORTS } from "@/devstack/ports";\n')).toEqual([
      "import/no-restricted-paths",
    ]);
    expect(await crossed("proxy.ts", 'import "./tests/support/free-port";\n')).toEqual(["import/no-restricted-paths"]);
  });

  it("may not import the benchmark, except in the benchmark's floor routes", async () => {
    const code = 'export { floorEnv } from "@/bench/floor";\n';
    expect(await crossed("app/api/fixture/route.ts", code)).toEqual(["import/no-restricted-paths"]);
    expect(await crossed("app/api/bench/fixture/route.bench.ts", code)).toEqual([]);
    // A floor route is still not allowed the devstack.
    expect(await crossed("app/api/bench/fixture/route.bench.ts", 'import "@/devstack/ports";\n')).toEqual([
      "import/no-restricted-paths",
    ]);
  });
});

describe("client modules", () => {
  const importsEnv = 'import { env } from "@/lib/env";\n\nexport const appUrl = () => env().APP_URL;\n';

  it('may not import lib/env when they start with "use client"', async () => {
    expect(await crossed("components/fixture.tsx", `"use client";\n\n${importsEnv}`)).toEqual(["client/no-restricted-paths"]);
    // The same import in a server component is fine.
    expect(await crossed("components/fixture.tsx", importsEnv)).toEqual([]);
  });

  it("may not import next/headers or server-only", async () => {
    const code = '"use client";\n\nimport "server-only";\nimport { cookies } from "next/headers";\n\nexport { cookies };\n';
    expect(await crossed("app/fixture/error.tsx", code)).toEqual([
      "client/no-restricted-imports",
      "client/no-restricted-imports",
    ]);
  });

  it("include everything in a lib/**/client/ folder, directive or not", async () => {
    const code = 'import { createServiceSupabase } from "../../supabase/service";\n\nexport const db = createServiceSupabase;\n';
    expect(await crossed("lib/jobs/client/fixture.ts", code)).toEqual(["client/no-restricted-paths"]);
    expect(await crossed("lib/jobs/fixture.ts", code)).toEqual([]);
  });
});

describe("code run outside Next", () => {
  it("may not import a server-only module, which throws there", async () => {
    expect(await crossed("e2e/fixture.spec.ts", 'export { unsubscribeUrl } from "@/lib/digest/unsubscribe";\n')).toEqual([
      "import/no-restricted-paths",
    ]);
    // vitest maps server-only to its empty module, so tests may.
    expect(await crossed("tests/fixture.test.ts", 'export { unsubscribeUrl } from "@/lib/digest/unsubscribe";\n')).toEqual([]);
  });
});
