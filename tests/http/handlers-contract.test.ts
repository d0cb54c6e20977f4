import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every route handler under app/api states its contract through route() (lib/http/route.ts)
 * instead of rebuilding a part of it by hand, where it would drift from the rest.
 *
 * app/api/inngest is exempt: it serves the Inngest SDK's own handler, which authenticates
 * each call by Inngest's request signature and answers in the protocol's format; the
 * session, cross-site and JSON-body rules of route() don't apply to the executor calling it.
 */
const EXEMPT = new Set(["app/api/inngest/route.ts"]);

const HAND_WRITTEN: { pattern: RegExp; what: string }[] = [
  { pattern: /searchParams|URLSearchParams|parseQuery/, what: "parses a query string (use route's `query`)" },
  { pattern: /parseJsonBody|request\.json\(\)|request\.text\(\)/, what: "parses the body (use route's `body`)" },
  {
    pattern: /requireAdminScope|requirePlatformAdmin|getAdminScope|platformAdmin/,
    what: 'checks an admin role (use auth: "team-admin" or "platform-admin")',
  },
  { pattern: /getUser\(|getClaims\(|getSessionUser/, what: "authenticates the caller (route does, by `auth`)" },
  { pattern: /Response\.json\(\s*\{\s*error\b|toBody\(\)|ErrorBody/, what: "builds an error body (throw an HttpError)" },
];

const root = path.resolve(import.meta.dirname, "../..");

function routeFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return routeFiles(relative);
    return entry.name === "route.ts" ? [relative] : [];
  });
}

const files = routeFiles("app/api").filter((file) => !EXEMPT.has(file));

describe("route handlers under app/api", () => {
  it("are found", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain("app/api/admin/dead-letters/replay/route.ts");
  });

  it.each(files)("%s rebuilds no part of route()'s contract by hand", (file) => {
    const source = readFileSync(path.join(root, file), "utf8");
    const found = HAND_WRITTEN.filter(({ pattern }) => pattern.test(source)).map(({ what }) => what);
    expect(found).toEqual([]);
  });

  it.each(files)("%s exports only handlers made by route()", (file) => {
    const source = readFileSync(path.join(root, file), "utf8");
    const methods = [...source.matchAll(/export\s+(?:async\s+)?(?:const|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b(\s*=\s*route\()?/g)];
    expect(methods.length).toBeGreaterThan(0);
    expect(methods.filter((match) => !match[2]).map((match) => match[1])).toEqual([]);
  });
});
