import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { refuseBrowsers, refuseCrossSite } from "@/lib/http/same-origin";
import { validEnv } from "../support/env";

const request = (method: string, headers: Record<string, string>) =>
  new NextRequest("http://app.example.com/api/auth/sign-out", { method, headers: { host: "app.example.com", ...headers } });

beforeAll(() => {
  const local = { ...validEnv, APP_URL: "https://app.example.com" };
  for (const [name, value] of Object.entries(local)) vi.stubEnv(name, value);
});

describe("refuseCrossSite", () => {
  it("lets through what this site's pages and non-browser callers send", () => {
    const own: Record<string, string>[] = [
      { origin: "http://app.example.com", "sec-fetch-site": "same-origin" },
      // A bookmark or typed address: the person asked for it themselves.
      { "sec-fetch-site": "none" },
      // Monitors, scripts, mail servers: no browser headers at all.
      {},
      // Behind a proxy that forwards the public host and scheme.
      { host: "internal:3000", "x-forwarded-host": "app.example.com", "x-forwarded-proto": "https", origin: "https://app.example.com" },
      // Behind a proxy that rewrites the Host and forwards nothing: APP_URL's origin.
      { host: "10.0.0.7:3000", origin: "https://app.example.com", "sec-fetch-site": "same-origin" },
    ];
    for (const headers of own) {
      expect(() => refuseCrossSite(request("POST", headers)), JSON.stringify(headers)).not.toThrow();
    }
  });

  it("works on either local address, whichever the developer opened", () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000"]) {
      const local = new NextRequest(`http://${host}/api/jobs`, {
        method: "POST",
        headers: { host, origin: `http://${host}`, "sec-fetch-site": "same-origin" },
      });
      expect(() => refuseCrossSite(local), host).not.toThrow();
    }
  });

  it("refuses a state-changing request a browser says came from another site or origin", () => {
    const foreign: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://app.example.com.evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      // Another subdomain or port of the same site is another origin.
      { "sec-fetch-site": "same-site" },
      { origin: "http://evil.app.example.com", "sec-fetch-site": "same-site" },
      { origin: "http://app.example.com:8080" },
      // The right host on the wrong scheme.
      { origin: "http://app.example.com", "x-forwarded-proto": "https" },
      { "sec-fetch-site": "same-site", origin: "http://app.example.com" },
    ];
    for (const headers of foreign) {
      expect(() => refuseCrossSite(request("POST", headers)), JSON.stringify(headers)).toThrow(/other sites/);
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect(() => refuseCrossSite(request(method, { origin: "https://evil.example" }))).toThrow(/other sites/);
    }
  });

  it("answers 403 cross_site_request", () => {
    try {
      refuseCrossSite(request("POST", { "sec-fetch-site": "same-site" }));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 403, code: "cross_site_request" });
    }
  });

  it("leaves reads alone: a link from another site may open a page", () => {
    expect(() => refuseCrossSite(request("GET", { "sec-fetch-site": "cross-site" }))).not.toThrow();
  });
});

describe("refuseBrowsers", () => {
  it("lets through servers, which send no browser headers", () => {
    expect(() => refuseBrowsers(request("POST", {}))).not.toThrow();
  });

  it("refuses any page, this site's own included", () => {
    const pages: Record<string, string>[] = [
      { origin: "http://app.example.com", "sec-fetch-site": "same-origin" },
      { "sec-fetch-site": "same-origin" },
      { "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" },
    ];
    for (const headers of pages) {
      expect(() => refuseBrowsers(request("POST", headers)), JSON.stringify(headers)).toThrow(/other sites/);
    }
  });
});
