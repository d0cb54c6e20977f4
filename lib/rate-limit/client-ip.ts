import { isIPv6 } from "node:net";
import type { NextRequest } from "next/server";

/**
 * The client's IP address, as a rate limit key.
 *
 * On Vercel, `X-Forwarded-For` is set by Vercel's edge, which overwrites whatever the
 * client sent, so its first entry is the client's address and can't be forged (Vercel's
 * docs: "Request headers"). `next start` without a proxy in front fills it with the socket's
 * address when it is missing, but keeps one a client sends: a host other than Vercel must
 * run behind a proxy that sets the header itself (nginx: `proxy_set_header X-Forwarded-For
 * $remote_addr`), or a client can pick its own address and dodge the per-IP limits. The
 * per-address limits hold either way.
 *
 * An IPv6 client is keyed by its /64: one household or server gets a whole /64 to pick
 * addresses from, so a single address would let it dodge the limit at will.
 */
export function clientIp(request: NextRequest): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const address = forwarded || request.headers.get("x-real-ip")?.trim() || "unknown";
  return isIPv6(address) ? ipv6Prefix(address) : address;
}

/** The first four groups of an IPv6 address, `::` expanded; an IPv4-mapped one stays IPv4. */
function ipv6Prefix(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = "", tail] = address.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill("0"), ...tailGroups];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
