import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isSafeAddress, safeLookup, UnsafeAddressError } from "@/lib/webhooks/url-safety";

const strict = { allowLoopback: false };
const local = { allowLoopback: true };
const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe("isSafeAddress", () => {
  it.each(["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])("allows public %s", (address) =>
    expect(isSafeAddress(address, strict)).toBe(true),
  );
  it.each([
    "127.0.0.1",
    "127.10.0.1",
    "::1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "fd00::1",
    "fe80::1",
    "ff02::1",
    "::",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "not-an-address",
  ])("refuses %s", (address) => expect(isSafeAddress(address, strict)).toBe(false));

  it("allows loopback, and only loopback, when asked", () => {
    expect(isSafeAddress("127.0.0.1", local)).toBe(true);
    expect(isSafeAddress("::1", local)).toBe(true);
    expect(isSafeAddress("10.0.0.1", local)).toBe(false);
    expect(isSafeAddress("169.254.169.254", local)).toBe(false);
  });
});

describe("checkWebhookUrl", () => {
  it("accepts an https URL whose every address is public", async () => {
    const result = await checkWebhookUrl("https://hooks.example.com/in", strict, resolvesTo("93.184.215.14", "2606:4700::1"));
    expect(result).toMatchObject({ safe: true, addresses: ["93.184.215.14", "2606:4700::1"] });
  });

  it("refuses a host with one private address among public ones", async () => {
    const result = await checkWebhookUrl("https://hooks.example.com/in", strict, resolvesTo("93.184.215.14", "10.1.2.3"));
    expect(result).toMatchObject({ safe: false, reason: "unsafe_address" });
  });

  it.each([
    ["http://127.0.0.1:8080/x", "unsafe_address"],
    ["https://[::1]/x", "unsafe_address"],
    ["https://localhost/x", "unsafe_address"],
    ["https://169.254.169.254/latest/meta-data", "unsafe_address"],
    ["https://[::ffff:a9fe:a9fe]/", "unsafe_address"],
    ["https://10.0.0.1/", "unsafe_address"],
    ["ftp://example.com/", "scheme_not_allowed"],
    ["https://user:pass@example.com/", "credentials_not_allowed"],
    ["not a url", "invalid_url"],
  ])("refuses %s (%s)", async (url, reason) => {
    expect(await checkWebhookUrl(url, strict, resolvesTo("93.184.215.14"))).toMatchObject({ safe: false, reason });
  });

  it("refuses plain http to a public host, even with loopback allowed", async () => {
    expect(await checkWebhookUrl("http://hooks.example.com/", local, resolvesTo("93.184.215.14"))).toMatchObject({
      safe: false,
      reason: "scheme_not_allowed",
    });
  });

  it("refuses a name that doesn't resolve", async () => {
    expect(await checkWebhookUrl("https://nowhere.invalid/", strict, resolvesTo())).toMatchObject({ safe: false, reason: "unresolvable" });
    const failing = async () => Promise.reject(new Error("ENOTFOUND"));
    expect(await checkWebhookUrl("https://nowhere.invalid/", strict, failing)).toMatchObject({ safe: false, reason: "unresolvable" });
  });

  it("allows loopback over http when asked, without asking DNS for localhost", async () => {
    const never = async (): Promise<string[]> => Promise.reject(new Error("DNS asked"));
    expect(await checkWebhookUrl("http://127.0.0.1:4000/hook", local, never)).toMatchObject({ safe: true });
    expect(await checkWebhookUrl("http://localhost:4000/hook", local, never)).toMatchObject({ safe: true, addresses: ["127.0.0.1"] });
  });
});

describe("safeLookup", () => {
  const lookupWith = (options: { allowLoopback: boolean }, addresses: string[], all = false) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      safeLookup(options, resolvesTo(...addresses))("hooks.example.com", { all }, (error, address) => resolve({ error, address })),
    );

  it("connects to a checked public address", async () => {
    expect(await lookupWith(strict, ["93.184.215.14"])).toEqual({ error: null, address: "93.184.215.14" });
    expect(await lookupWith(strict, ["93.184.215.14"], true)).toEqual({ error: null, address: [{ address: "93.184.215.14", family: 4 }] });
  });

  it("refuses a name that now resolves to a private address (DNS rebinding)", async () => {
    const { error } = await lookupWith(strict, ["169.254.169.254"]);
    expect(error).toBeInstanceOf(UnsafeAddressError);
  });
});
