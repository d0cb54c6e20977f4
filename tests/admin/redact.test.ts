import { describe, expect, it } from "vitest";
import { isSecretKey, REDACTED, redactSecrets } from "@/lib/admin/redact";

describe("redactSecrets", () => {
  it("replaces values under secret-looking keys, at any depth and in arrays", () => {
    const payload = {
      email: "ada@example.com",
      apiKey: "re_123",
      nested: { accessToken: "t", list: [{ password: "p", keep: 1 }], Authorization: "Bearer x" },
      headers: { "set-cookie": "a=b", "x-api-key": "k" },
      webhook_secret: { value: "deep" },
    };
    expect(redactSecrets(payload)).toEqual({
      email: "ada@example.com",
      apiKey: REDACTED,
      nested: { accessToken: REDACTED, list: [{ password: REDACTED, keep: 1 }], Authorization: REDACTED },
      headers: { "set-cookie": REDACTED, "x-api-key": REDACTED },
      webhook_secret: REDACTED,
    });
  });

  it("leaves words that merely contain a secret word alone", () => {
    for (const key of ["monkey", "keyboard", "author", "tokenizer", "userId", "kind", "localDate"]) {
      expect(isSecretKey(key), key).toBe(false);
    }
    for (const key of ["key", "KEY", "privateKey", "private_key", "JWT", "clientSecret", "SESSION_COOKIE", "signature"]) {
      expect(isSecretKey(key), key).toBe(true);
    }
  });

  it("passes scalars and null through", () => {
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets("token")).toBe("token");
    expect(redactSecrets([1, "two"])).toEqual([1, "two"]);
  });
});
