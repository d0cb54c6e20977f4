import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/errors";
import { parseIdempotencyKey } from "@/lib/http/idempotency-key";

const withKey = (key?: string) =>
  new Request("http://app.example.com/api/reports", {
    method: "POST",
    headers: key === undefined ? {} : { "Idempotency-Key": key },
  });

describe("parseIdempotencyKey", () => {
  it("is optional", () => {
    expect(parseIdempotencyKey(withKey())).toBeUndefined();
  });

  it("takes up to 200 printable ASCII characters as they are", () => {
    expect(parseIdempotencyKey(withKey("order-42/retry:1"))).toBe("order-42/retry:1");
    expect(parseIdempotencyKey(withKey("k".repeat(200)))).toBe("k".repeat(200));
  });

  it("refuses a longer key, or one with spaces, with a 400", () => {
    for (const key of ["k".repeat(201), "two words"]) {
      const refusal = (() => {
        try {
          parseIdempotencyKey(withKey(key));
        } catch (error) {
          return error;
        }
      })();
      expect(refusal, key).toBeInstanceOf(HttpError);
      expect(refusal, key).toMatchObject({ status: 400, code: "invalid_idempotency_key" });
    }
  });
});
