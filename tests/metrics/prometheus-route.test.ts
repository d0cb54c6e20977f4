import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validEnv } from "../support/env";

/**
 * GET /api/metrics with METRICS_BEARER_TOKEN unset: off, answering as if it didn't exist,
 * before any service is asked (none runs here). The token's checks are in prometheus.int.test.ts.
 */
describe("GET /api/metrics without METRICS_BEARER_TOKEN", () => {
  beforeAll(() => {
    for (const [name, value] of Object.entries(validEnv)) vi.stubEnv(name, value);
    vi.stubEnv("METRICS_BEARER_TOKEN", undefined);
  });
  afterAll(() => vi.unstubAllEnvs());

  it("answers 404 whatever the caller sends", async () => {
    const { GET } = await import("@/app/api/metrics/route");
    for (const authorization of [undefined, `Bearer ${"t".repeat(40)}`, "Bearer "]) {
      const request = new NextRequest("http://localhost/api/metrics", authorization ? { headers: { authorization } } : {});
      const response = await GET(request, { params: Promise.resolve({}) });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: "Nothing here." } });
    }
  });
});
