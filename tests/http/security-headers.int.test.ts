import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppStack, type AppStack } from "../support/app-stack";

/**
 * Every kind of response the app gives carries the security headers: pages (with a
 * nonce-based Content-Security-Policy that Next.js applies to its scripts), API answers and
 * errors, 404s and redirects, and static files (the resource policy: nothing may run).
 * What each header must say: MDN's CSP, X-Content-Type-Options and Referrer-Policy pages,
 * and Next.js's Content Security Policy guide.
 */
describe(`security headers (${inject("database")})`, () => {
  let stack: AppStack;
  let app: string;

  beforeAll(async () => {
    stack = await startAppStack();
    app = stack.app.url;
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${app}${path}`, { redirect: "manual", ...init });

  /** The headers every response must carry, whatever it is. */
  function expectCommonHeaders(response: Response, what: string) {
    expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
    expect(response.headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("x-frame-options"), what).toBe("DENY");
    expect(response.headers.get("x-powered-by"), what).toBeNull();
  }

  /** Parses a policy into directive → sources; fetch joins two policies with ", ", caught here. */
  function directives(response: Response, what: string): Map<string, string[]> {
    const policy = response.headers.get("content-security-policy");
    expect(policy, `${what}: a policy`).toBeTruthy();
    expect(policy, `${what}: one policy, not two`).not.toContain(",");
    return new Map(
      policy!.split(";").map((directive) => {
        const [name = "", ...sources] = directive.trim().split(/\s+/);
        return [name, sources];
      }),
    );
  }

  function expectResourcePolicy(response: Response, what: string) {
    expectCommonHeaders(response, what);
    const policy = directives(response, what);
    expect(policy.get("default-src"), what).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors"), what).toEqual(["'none'"]);
  }

  /** A page's policy, and every script in it carrying the policy's nonce. */
  async function expectPagePolicy(response: Response, what: string) {
    expectCommonHeaders(response, what);
    const policy = directives(response, what);
    const scripts = policy.get("script-src") ?? [];
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scripts.find((source) => source.startsWith("'nonce-")) ?? "")?.[1];
    expect(nonce, `${what}: a nonce`).toBeTruthy();
    expect(scripts, what).toContain("'strict-dynamic'");
    expect(scripts, what).not.toContain("'unsafe-inline'");
    expect(policy.get("frame-ancestors"), what).toEqual(["'none'"]);
    expect(policy.get("object-src"), what).toEqual(["'none'"]);
    const html = await response.text();
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length, `${what}: scripts`).toBeGreaterThan(0);
    for (const tag of tags) expect(tag, what).toContain(`nonce="${nonce}"`);
    return { nonce: nonce!, html };
  }

  it("gives every page a policy with a nonce of its own, which Next puts on its scripts", async () => {
    const first = await get("/");
    expect(first.status).toBe(200);
    const { nonce, html } = await expectPagePolicy(first, "home page");
    const second = await expectPagePolicy(await get("/sign-in"), "sign-in page");
    expect(second.nonce).not.toBe(nonce);

    // The page's own script files are static assets: the resource policy, nothing may run in them.
    const script = /<script\b[^>]*\bsrc="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/_next\/static\//);
    const asset = await get(script!);
    expect(asset.status).toBe(200);
    expectResourcePolicy(asset, "a script file");
  }, 120_000); // next dev compiles each page on its first request

  it("answers a missing page with the 404 page under the page policy", async () => {
    const response = await get("/no-such-page");
    expect(response.status).toBe(404);
    await expectPagePolicy(response, "404 page");
  }, 120_000);

  it("gives redirects the headers too", async () => {
    const response = await get("/dashboard");
    expect(response.status).toBe(307);
    expectCommonHeaders(response, "redirect to sign-in");
    directives(response, "redirect to sign-in");
  });

  it("gives API answers and API errors the resource policy", async () => {
    const health = await get("/api/health");
    expect(health.status).toBe(200);
    expectResourcePolicy(health, "GET /api/health");

    const unauthorized = await get("/api/profile");
    expect(unauthorized.status).toBe(401);
    expectResourcePolicy(unauthorized, "401 from /api/profile");

    const invalid = await get("/api/health?deep=2");
    expect(invalid.status).toBe(400);
    expectResourcePolicy(invalid, "400 from /api/health");

    const refused = await get("/api/auth/sign-out", { method: "POST", headers: { origin: "https://evil.example" } });
    expect(refused.status).toBe(403);
    expectResourcePolicy(refused, "403 cross-site");

    const missing = await get("/api/no-such-endpoint");
    expect(missing.status).toBe(404);
    expectResourcePolicy(missing, "404 under /api");
  }, 120_000);

  it("gives files served by extension the resource policy", async () => {
    const icon = await get("/icon.svg");
    expect(icon.status).toBe(200);
    expectResourcePolicy(icon, "/icon.svg");

    const missing = await get("/no-such-file.json");
    expect(missing.status).toBe(404);
    expectResourcePolicy(missing, "404 for a file");
  });
});
