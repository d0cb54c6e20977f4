import { describe, expect, it } from "vitest";
import { redactedUrlAttributes } from "@/lib/observability/span-url";

describe("the URL an outbound call's span records", () => {
  it("hides the Inngest event key in the event API's path", () => {
    expect(redactedUrlAttributes("https://inn.gs", "/e/abc123secret")).toEqual({
      "url.full": "https://inn.gs/e/[REDACTED]",
      "url.path": "/e/[REDACTED]",
      "url.query": "",
    });
  });

  it("keeps a query's parameter names and drops every value", () => {
    const attributes = redactedUrlAttributes("https://x.supabase.co", "/rest/v1/profiles?select=id,email&email=eq.ann%40example.com&email=neq.b");
    expect(attributes["url.query"]).toBe("?select=[REDACTED]&email=[REDACTED]&email=[REDACTED]");
    expect(attributes["url.full"]).toBe("https://x.supabase.co/rest/v1/profiles?select=[REDACTED]&email=[REDACTED]&email=[REDACTED]");
    expect(JSON.stringify(attributes)).not.toContain("ann");
  });

  it("leaves other paths as they are", () => {
    expect(redactedUrlAttributes("http://127.0.0.1:54324", "/emails")["url.path"]).toBe("/emails");
    expect(redactedUrlAttributes("http://127.0.0.1:54321", "/rest/v1/e/x")["url.path"]).toBe("/rest/v1/e/x");
  });
});
