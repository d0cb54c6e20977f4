import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

const valid = {
  APP_URL: "http://localhost:3000",
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_PUBLISHABLE_KEY: "sb_publishable_x",
  SUPABASE_SECRET_KEY: "sb_secret_x",
  RESEND_API_KEY: "re_x",
  EMAIL_FROM: "Offload <hello@example.com>",
  INNGEST_DEV: "http://127.0.0.1:8288",
  UNSUBSCRIBE_SECRET: "x".repeat(32),
};

describe("parseEnv", () => {
  it("accepts a complete environment", () => {
    expect(parseEnv(valid)).toMatchObject({ APP_URL: "http://localhost:3000", EMAIL_FROM: "Offload <hello@example.com>" });
  });

  it("names every missing or invalid variable and what it should look like", () => {
    expect(() => parseEnv({ ...valid, SUPABASE_URL: undefined, SUPABASE_SECRET_KEY: "sb_publishable_swapped" })).toThrow(
      /SUPABASE_URL is missing: expected your Supabase project's API URL[\s\S]*SUPABASE_SECRET_KEY is invalid: expected .*starting with sb_secret_/,
    );
  });

  it("treats an empty value as missing", () => {
    expect(() => parseEnv({ ...valid, RESEND_API_KEY: "" })).toThrow(/RESEND_API_KEY is missing/);
  });

  it("requires Inngest's keys when no dev server is configured", () => {
    expect(() => parseEnv({ ...valid, INNGEST_DEV: undefined })).toThrow(
      /INNGEST_SIGNING_KEY is missing[\s\S]*INNGEST_EVENT_KEY is missing/,
    );
    expect(parseEnv({ ...valid, INNGEST_DEV: undefined, INNGEST_SIGNING_KEY: "signkey-prod-1", INNGEST_EVENT_KEY: "k" }))
      .toMatchObject({ INNGEST_SIGNING_KEY: "signkey-prod-1" });
  });

  it("rejects a sender that isn't an address", () => {
    expect(() => parseEnv({ ...valid, EMAIL_FROM: "Offload" })).toThrow(/EMAIL_FROM is invalid/);
  });
});
