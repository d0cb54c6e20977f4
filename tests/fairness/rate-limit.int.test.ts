import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { HttpError } from "@/lib/http/errors";
import { enforceRateLimit, takeRateLimitToken, type RateLimit } from "@/lib/rate-limit/limiter";
import { anonClient, serviceClient, signUpUser } from "../support/supabase";

/** The per-organisation rate limiter (lib/rate-limit, `take_rate_limit_token`) against the database. */
describe(`rate limiter (${inject("database")})`, () => {
  const db = serviceClient();

  async function newOrg(): Promise<string> {
    const suffix = randomUUID().slice(0, 8);
    const { data, error } = await db.from("organisations").insert({ name: `Org ${suffix}`, slug: `org-${suffix}` }).select("id").single();
    if (error) throw new Error(error.message);
    return data.id;
  }
  const perMinute = (limit: number, bucket = "test"): RateLimit => ({ bucket, limit, windowSeconds: 60 });

  it("allows a burst of `limit`, then refuses and says when the next token frees", async () => {
    const org = await newOrg();
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await takeRateLimitToken(db, org, perMinute(3)));
    expect(decisions.slice(0, 3)).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
    // One token every 60 / 3 = 20 s.
    const refused = decisions[3]!;
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(Number.isInteger(refused.retryAfterSeconds)).toBe(true);
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(20);
    }
  });

  it("allows the next request once Retry-After has passed", async () => {
    const org = await newOrg();
    const limit: RateLimit = { bucket: "test", limit: 2, windowSeconds: 1 };
    await takeRateLimitToken(db, org, limit);
    await takeRateLimitToken(db, org, limit);
    const refused = await takeRateLimitToken(db, org, limit);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterSeconds * 1000));
    expect((await takeRateLimitToken(db, org, limit)).allowed).toBe(true);
  });

  it("keeps organisations and buckets apart", async () => {
    const [a, b] = await Promise.all([newOrg(), newOrg()]);
    expect((await takeRateLimitToken(db, a, perMinute(1, "reports"))).allowed).toBe(true);
    expect((await takeRateLimitToken(db, a, perMinute(1, "reports"))).allowed).toBe(false);
    expect((await takeRateLimitToken(db, b, perMinute(1, "reports"))).allowed).toBe(true);
    expect((await takeRateLimitToken(db, a, perMinute(1, "replays"))).allowed).toBe(true);
  });

  it("never grants more than the limit to concurrent requests", async () => {
    const org = await newOrg();
    const decisions = await Promise.all(Array.from({ length: 20 }, () => takeRateLimitToken(db, org, perMinute(5))));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });

  it("charges nothing for a refusal: hammering the limit doesn't push the retry later", async () => {
    const org = await newOrg();
    await takeRateLimitToken(db, org, perMinute(1));
    const first = await takeRateLimitToken(db, org, perMinute(1));
    for (let i = 0; i < 5; i++) await takeRateLimitToken(db, org, perMinute(1));
    const last = await takeRateLimitToken(db, org, perMinute(1));
    expect(first.allowed || last.allowed).toBe(false);
    if (!first.allowed && !last.allowed) expect(last.retryAfterSeconds).toBeLessThanOrEqual(first.retryAfterSeconds);
  });

  it("keeps one row per organisation and bucket, and drops it with the organisation", async () => {
    const org = await newOrg();
    for (let i = 0; i < 10; i++) await takeRateLimitToken(db, org, perMinute(5));
    const rows = async () => (await db.from("rate_limits").select("bucket").eq("org_id", org)).data;
    expect(await rows()).toEqual([{ bucket: "test" }]);
    await db.from("organisations").delete().eq("id", org);
    expect(await rows()).toEqual([]);
  });

  it("is the server's alone: users can neither call it nor read the counters", async () => {
    const user = await signUpUser();
    await takeRateLimitToken(db, user.orgId, perMinute(5));
    const args = { p_org_id: user.orgId, p_bucket: "test", p_limit: 1000, p_window_seconds: 1 };
    for (const client of [anonClient(), user.client]) {
      const { error } = await client.rpc("take_rate_limit_token", args);
      expect(error?.code).toBe("42501"); // insufficient_privilege
    }
    const read = await user.client.from("rate_limits").select("org_id");
    expect(read.error?.code).toBe("42501");
  });

  it("enforceRateLimit throws a 429 HttpError carrying Retry-After", async () => {
    const org = await newOrg();
    await enforceRateLimit(db, org, perMinute(1), "Slow down.");
    const error = await enforceRateLimit(db, org, perMinute(1), "Slow down.").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    const http = error as HttpError;
    expect([http.status, http.code, http.message]).toEqual([429, "rate_limited", "Slow down."]);
    expect(Number(http.headers?.["Retry-After"])).toBeGreaterThanOrEqual(1);
  });
});
