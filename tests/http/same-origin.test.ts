import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { refuseCrossSite } from "@/lib/http/same-origin";

const request = (method: string, headers: Record<string, string>) =>
  new NextRequest("http://app.example.com/api/auth/sign-out", { method, headers: { host: "app.example.com", ...headers } });

describe("refuseCrossSite", () => {
  it("lets through what this site's pages and non-browser callers send", () => {
    expect(() => refuseCrossSite(request("POST", { origin: "http://app.example.com", "sec-fetch-site": "same-origin" }))).not.toThrow();
    expect(() => refuseCrossSite(request("POST", {}))).not.toThrow();
    expect(() =>
      refuseCrossSite(request("POST", { host: "internal:3000", "x-forwarded-host": "app.example.com", origin: "https://app.example.com" })),
    ).not.toThrow();
  });

  it("refuses a state-changing request a browser says came from elsewhere", () => {
    const crossSite: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://app.example.com.evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of crossSite) {
      expect(() => refuseCrossSite(request("POST", headers)), JSON.stringify(headers)).toThrow(/other sites/);
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect(() => refuseCrossSite(request(method, { origin: "https://evil.example" }))).toThrow(/other sites/);
    }
  });

  it("leaves reads alone: a link from another site may open a page", () => {
    expect(() => refuseCrossSite(request("GET", { "sec-fetch-site": "cross-site" }))).not.toThrow();
  });
});
