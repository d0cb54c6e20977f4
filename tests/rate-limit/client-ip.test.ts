import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/rate-limit/client-ip";

const from = (headers: Record<string, string>) => clientIp(new NextRequest("http://app.example.com/api/auth/sign-in", { headers }));

describe("clientIp", () => {
  it("takes the first X-Forwarded-For entry, the one Vercel's edge sets", () => {
    expect(from({ "x-forwarded-for": "198.51.100.7" })).toBe("198.51.100.7");
    expect(from({ "x-forwarded-for": "198.51.100.7, 10.0.0.1" })).toBe("198.51.100.7");
    expect(from({ "x-real-ip": "198.51.100.8" })).toBe("198.51.100.8");
    expect(from({})).toBe("unknown");
  });

  it("keys an IPv6 client by its /64, which one household or server picks addresses from", () => {
    expect(from({ "x-forwarded-for": "2001:db8:1:2:aaaa:bbbb:cccc:dddd" })).toBe("2001:db8:1:2::/64");
    expect(from({ "x-forwarded-for": "2001:db8:1:2::9" })).toBe("2001:db8:1:2::/64");
    expect(from({ "x-forwarded-for": "2001:DB8::1" })).toBe("2001:db8:0:0::/64");
    expect(from({ "x-forwarded-for": "::1" })).toBe("0:0:0:0::/64");
    expect(from({ "x-forwarded-for": "::ffff:198.51.100.9" })).toBe("198.51.100.9");
  });
});
