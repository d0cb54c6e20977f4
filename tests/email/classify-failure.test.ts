import { describe, expect, it } from "vitest";
import { classifyFailure } from "@/lib/email/send";

describe("classifyFailure", () => {
  it("treats a rejected message as permanent", () => {
    expect(classifyFailure({ statusCode: 422, name: "validation_error", message: "Invalid `to` field" }, {})).toEqual({
      kind: "permanent",
      status: 422,
      message: "Invalid `to` field",
    });
  });

  it("honours Retry-After on a rate limit, with a default when it is missing", () => {
    const error = { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" };
    expect(classifyFailure(error, { "retry-after": "7" })).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 7 });
    expect(classifyFailure(error, null)).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 60 });
  });

  it("retries server errors, network failures and a concurrent request with the same key", () => {
    expect(classifyFailure({ statusCode: 500, name: "internal_server_error", message: "x" }, {}).kind).toBe("transient");
    expect(classifyFailure({ statusCode: null, name: "application_error", message: "x" }, null).kind).toBe("transient");
    expect(
      classifyFailure({ statusCode: 409, name: "concurrent_idempotent_requests", message: "x" }, {}).kind,
    ).toBe("transient");
  });

  it("reads a 409 for a key already used with another body as already sent", () => {
    expect(classifyFailure({ statusCode: 409, name: "invalid_idempotent_request", message: "x" }, {}).kind).toBe(
      "already_sent",
    );
  });
});
