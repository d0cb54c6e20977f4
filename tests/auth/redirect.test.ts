import { describe, expect, it } from "vitest";
import { AFTER_SIGN_IN_PATH, authPageHref, safeNextPath } from "@/lib/auth/redirect";

const ORIGIN = "https://app.example";

/** Where a browser goes when it follows `Location: <path>` from a page of this app. */
function destination(path: string): URL {
  return new URL(path, `${ORIGIN}/sign-in`);
}

describe("safeNextPath", () => {
  it.each([
    "/dashboard",
    "/dashboard/jobs/123?tab=steps#log",
    "/reports?from=2026-07-01&to=2026-07-04",
    "/reset-password",
  ])("keeps the same-site path %s", (next) => {
    expect(safeNextPath(next)).toBe(next);
  });

  it.each([
    [null],
    [undefined],
    [""],
    ["dashboard"],
    ["https://evil.example/"],
    ["http:evil.example"],
    ["javascript:alert(1)"],
    ["//evil.example"],
    ["///evil.example"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    // Dot segments that collapse into a protocol-relative `//host` once resolved.
    ["/.//evil.example"],
    ["/..//evil.example"],
    ["/%2e//evil.example"],
    ["/%2E%2E//evil.example"],
    ["/./\\evil.example"],
    ["/.\\/evil.example"],
    ["/a/..//evil.example"],
    ["/a/b/../..//evil.example"],
    ["/./%2e//evil.example"],
  ])("sends %j to the dashboard", (next) => {
    expect(safeNextPath(next)).toBe(AFTER_SIGN_IN_PATH);
  });

  it.each([
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/./\\evil.example",
    "/a/..//evil.example",
    "/dashboard/../reports",
    "/%2e%2e/%2e%2e/reports",
    "/%5c%5cevil.example",
    "/@evil.example",
    "/dashboard?next=//evil.example",
  ])("never leaves the app, whatever the browser does with %j", (next) => {
    const safe = safeNextPath(next);
    expect(safe.startsWith("/")).toBe(true);
    expect(destination(safe).origin).toBe(ORIGIN);
    // Feeding the answer back in changes nothing: it is already a plain path.
    expect(safeNextPath(safe)).toBe(safe);
  });

  it("resolves harmless dot segments to the path they name", () => {
    expect(safeNextPath("/dashboard/../reports")).toBe("/reports");
  });
});

describe("authPageHref", () => {
  it("carries a way on and an address to prefill, encoded", () => {
    expect(authPageHref("/sign-up", "/invitations/abc_-1", "bob+team@example.com")).toBe(
      "/sign-up?next=%2Finvitations%2Fabc_-1&email=bob%2Bteam%40example.com",
    );
    // What the page reads back is what was put in.
    const query = new URL(authPageHref("/sign-in", "/invitations/x?y=1", "a@b.co"), ORIGIN).searchParams;
    expect([query.get("next"), query.get("email")]).toEqual(["/invitations/x?y=1", "a@b.co"]);
  });

  it("leaves out the default destination and a missing address", () => {
    expect(authPageHref("/sign-in", AFTER_SIGN_IN_PATH)).toBe("/sign-in");
    expect(authPageHref("/sign-up", AFTER_SIGN_IN_PATH, "a@b.co")).toBe("/sign-up?email=a%40b.co");
  });
});
