import { describe, expect, it } from "vitest";
import { maxDuration } from "@/app/api/inngest/route";
import { CHECKPOINT_MAX_RUNTIME_MS, SERVE_MAX_DURATION_SECONDS } from "@/inngest/client";
import vercel from "@/vercel.json";

describe("/api/inngest's run time", () => {
  it("is the same in the route segment config and vercel.json", () => {
    expect(maxDuration).toBe(vercel.functions["app/api/inngest/route.ts"].maxDuration);
    expect(SERVE_MAX_DURATION_SECONDS).toBe(maxDuration);
  });

  it("lets the SDK checkpoint early enough for a step to finish before the platform stops the request", () => {
    expect(CHECKPOINT_MAX_RUNTIME_MS).toBeGreaterThan(0);
    expect(CHECKPOINT_MAX_RUNTIME_MS).toBeLessThanOrEqual((maxDuration - 10) * 1000);
  });
});
