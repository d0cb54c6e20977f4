import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Why a URL may not receive webhooks. Endpoints are typed in by customers and called by our
 * servers, so a URL that reaches our own network (or a cloud's metadata service) would let
 * them probe it: only public unicast addresses are allowed, checked when an endpoint is
 * saved and again at every delivery (DNS may have changed since).
 */
export type UnsafeUrlReason =
  | "invalid_url"
  | "scheme_not_allowed"
  | "credentials_not_allowed"
  | "unresolvable"
  | "unsafe_address";

export type UrlCheck =
  | { safe: true; url: URL; addresses: string[] }
  | { safe: false; reason: UnsafeUrlReason; message: string };

export type UrlSafetyOptions = {
  /** Allow loopback addresses (and plain http to them): local development and tests. */
  allowLoopback: boolean;
};

type Resolver = (hostname: string) => Promise<string[]>;

const resolveAll: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** Strips the brackets URL keeps around an IPv6 host. */
const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1");

const isLoopbackName = (host: string) => host === "localhost" || host.endsWith(".localhost");

/**
 * Whether an address may be called: public unicast only (ipaddr.js's "unicast" range is
 * what is left after loopback, private, link-local and metadata, unique-local, CGNAT,
 * multicast, unspecified, reserved and the IPv6 ranges that embed IPv4 addresses).
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function isSafeAddress(address: string, { allowLoopback }: UrlSafetyOptions): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === "unicast") return true;
  return allowLoopback && range === "loopback";
}

/**
 * Checks a webhook URL: http(s) without credentials; https only, except plain http to a
 * loopback address when loopback is allowed; and every address its host resolves to safe.
 */
export async function checkWebhookUrl(
  raw: string,
  options: UrlSafetyOptions,
  resolve: Resolver = resolveAll,
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { safe: false, reason: "invalid_url", message: "not a valid URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { safe: false, reason: "scheme_not_allowed", message: "the URL must start with https://" };
  }
  if (url.username || url.password) {
    return { safe: false, reason: "credentials_not_allowed", message: "the URL must not contain a user name or password" };
  }
  const host = bareHost(url.hostname).toLowerCase();
  // Plain http only to the loopback interface, by name or address: decided before asking DNS, so the
  // answer is the same whether or not the name resolves.
  const loopbackHost = isLoopbackName(host) || (isIP(host) !== 0 && ipaddr.process(host).range() === "loopback");
  if (url.protocol === "http:" && !loopbackHost) {
    return { safe: false, reason: "scheme_not_allowed", message: "the URL must start with https://" };
  }
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else if (isLoopbackName(host)) {
    // Never sent to DNS: localhost is loopback by definition (RFC 6761).
    addresses = ["127.0.0.1"];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      return { safe: false, reason: "unresolvable", message: `${host} does not resolve to an address` };
    }
  }
  const unsafe = addresses.find((address) => !isSafeAddress(address, options));
  if (unsafe !== undefined) {
    return {
      safe: false,
      reason: "unsafe_address",
      message: `${host} resolves to ${unsafe}, a private, loopback or reserved address`,
    };
  }
  if (url.protocol === "http:" && !addresses.every((address) => ipaddr.process(address).range() === "loopback")) {
    return { safe: false, reason: "scheme_not_allowed", message: "the URL must start with https://" };
  }
  return { safe: true, url, addresses };
}

export class UnsafeAddressError extends Error {
  readonly code = "EUNSAFEADDRESS";
  constructor(readonly hostname: string, readonly address: string) {
    super(`${hostname} resolved to ${address}, a private, loopback or reserved address`);
    this.name = "UnsafeAddressError";
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) requests that refuses unsafe addresses: the connection goes
 * to the address checked here, so a DNS answer that changed after checkWebhookUrl (DNS
 * rebinding) is caught when connecting, not trusted.
 */
export function safeLookup(options: UrlSafetyOptions, resolve: Resolver = resolveAll) {
  return (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void => {
    const host = bareHost(hostname).toLowerCase();
    const addresses = isIP(host) ? Promise.resolve([host]) : isLoopbackName(host) ? Promise.resolve(["127.0.0.1"]) : resolve(host);
    addresses.then(
      (found) => {
        const [first] = found;
        if (first === undefined) {
          callback(Object.assign(new Error(`${host} does not resolve`), { code: "ENOTFOUND" }), "");
          return;
        }
        const unsafe = found.find((address) => !isSafeAddress(address, options));
        if (unsafe !== undefined) {
          callback(new UnsafeAddressError(host, unsafe), "");
          return;
        }
        const entries = found.map((address) => ({ address, family: isIP(address) }));
        if (lookupOptions.all) callback(null, entries);
        else callback(null, first, isIP(first));
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}
