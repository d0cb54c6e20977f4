import { describe, expect, it } from "vitest";
import { parseEnv, tracingEnv } from "@/lib/env";
import { validEnv } from "./support/env";

const valid = validEnv;

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

  describe("in a production deployment", () => {
    const cloud = { ...valid, INNGEST_DEV: undefined, INNGEST_SIGNING_KEY: "signkey-prod-1", INNGEST_EVENT_KEY: "k" };

    it("refuses the local stand-ins on Vercel's production, whatever else is set", () => {
      for (const extra of [{}, { OFFLOAD_LOCAL_SERVICES: "1" }]) {
        expect(() => parseEnv({ ...valid, ...extra, VERCEL_ENV: "production", RESEND_BASE_URL: "http://127.0.0.1:54324" })).toThrow(
          /INNGEST_DEV must be unset in production \(VERCEL_ENV=production\)[\s\S]*RESEND_BASE_URL must be unset in production/,
        );
      }
    });

    it("refuses them under NODE_ENV=production (next start) without the explicit opt-in", () => {
      expect(() => parseEnv({ ...valid, NODE_ENV: "production" })).toThrow(
        /INNGEST_DEV must be unset in production \(NODE_ENV=production\)/,
      );
      expect(() => parseEnv({ ...cloud, NODE_ENV: "production", RESEND_BASE_URL: "http://127.0.0.1:54324" })).toThrow(
        /RESEND_BASE_URL must be unset in production/,
      );
    });

    it("lets a production build run against the devstack when OFFLOAD_LOCAL_SERVICES=1 says so", () => {
      const local = { ...valid, NODE_ENV: "production", OFFLOAD_LOCAL_SERVICES: "1", RESEND_BASE_URL: "http://127.0.0.1:54324" };
      expect(parseEnv(local)).toMatchObject({ INNGEST_DEV: "http://127.0.0.1:8288" });
      expect(() => parseEnv({ ...local, OFFLOAD_LOCAL_SERVICES: "true" })).toThrow(/OFFLOAD_LOCAL_SERVICES is invalid/);
    });

    it("accepts the hosted services, and previews are production builds too", () => {
      expect(parseEnv({ ...cloud, VERCEL_ENV: "production", NODE_ENV: "production" })).toMatchObject({ VERCEL_ENV: "production" });
      expect(() => parseEnv({ ...valid, VERCEL_ENV: "preview", NODE_ENV: "production" })).toThrow(/INNGEST_DEV must be unset/);
    });

    it("uses a Vercel preview's own URL as APP_URL unless one is set", () => {
      const preview = { ...cloud, APP_URL: undefined, VERCEL_ENV: "preview", NODE_ENV: "production", VERCEL_URL: "offload-git-x.vercel.app" };
      expect(parseEnv(preview).APP_URL).toBe("https://offload-git-x.vercel.app");
      expect(parseEnv({ ...preview, APP_URL: "https://preview.example.com" }).APP_URL).toBe("https://preview.example.com");
      expect(() => parseEnv({ ...preview, VERCEL_ENV: "production" })).toThrow(/APP_URL is missing/);
    });

    it("takes a fallback signing key for key rotation, and a health check secret of 32 characters or more", () => {
      expect(parseEnv({ ...cloud, INNGEST_SIGNING_KEY_FALLBACK: "signkey-prod-0" })).toMatchObject({
        INNGEST_SIGNING_KEY_FALLBACK: "signkey-prod-0",
      });
      expect(() => parseEnv({ ...valid, HEALTH_CHECK_SECRET: "short" })).toThrow(/HEALTH_CHECK_SECRET is invalid/);
      expect(() => parseEnv({ ...valid, METRICS_BEARER_TOKEN: "short" })).toThrow(/METRICS_BEARER_TOKEN is invalid/);
    });
  });
});

describe("tracingEnv", () => {
  it("is off without an endpoint, and reads only its own variables", () => {
    // Nothing else is set: instrumentation.ts must not fail on an unrelated variable.
    expect(tracingEnv({})).toEqual({ OTEL_SERVICE_NAME: "offload" });
    expect(tracingEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "" }).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it("takes an http(s) endpoint, headers as key=value pairs and a service name", () => {
    expect(
      tracingEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: "https://otlp.example.com",
        OTEL_EXPORTER_OTLP_HEADERS: "authorization=Basic abc==, x-scope-orgid=offload",
        OTEL_SERVICE_NAME: "offload-web",
      }),
    ).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://otlp.example.com",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Basic abc==, x-scope-orgid=offload",
      OTEL_SERVICE_NAME: "offload-web",
    });
  });

  it("names a wrong value and what it should look like", () => {
    expect(() => tracingEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "127.0.0.1:4318", OTEL_EXPORTER_OTLP_HEADERS: "just-a-token" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT is invalid: expected an OTLP\/HTTP endpoint[\s\S]*OTEL_EXPORTER_OTLP_HEADERS is invalid: expected headers/,
    );
  });

  it("is checked with the rest of the environment too", () => {
    expect(() => parseEnv({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://collector:4317" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT is invalid/);
  });
});
