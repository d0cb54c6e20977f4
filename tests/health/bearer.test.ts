import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { route } from "@/lib/http/route";

/** route()'s bearer option refuses before anything else runs, so these need no request scope. */
const SECRET = "s".repeat(40);
const segment = { params: Promise.resolve({}) };

function guarded(secret: string | undefined) {
  const handler = vi.fn(() => Response.json({ reached: true }));
  return { handler, endpoint: route({ auth: false, bearer: () => secret }, handler) };
}

const request = (authorization?: string) =>
  new NextRequest("http://localhost/api/health?deep=1", authorization ? { headers: { authorization } } : {});

describe("route({ bearer })", () => {
  it("answers 404 when no secret is configured, whatever the caller sends", async () => {
    const { handler, endpoint } = guarded(undefined);
    for (const authorization of [undefined, `Bearer ${SECRET}`, "Bearer "]) {
      const response = await endpoint(request(authorization), segment);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: "Nothing here." } });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers a missing, malformed or wrong bearer with 401 JSON and runs nothing", async () => {
    const { handler, endpoint } = guarded(SECRET);
    const attempts = [undefined, SECRET, `Basic ${SECRET}`, "Bearer wrong", `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(1)}`];
    for (const authorization of attempts) {
      const response = await endpoint(request(authorization), segment);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      const body = await response.json();
      expect(body).toEqual({ error: { code: "unauthorized", message: "A valid bearer token is required." } });
    }
    expect(handler).not.toHaveBeenCalled();
  });
});
