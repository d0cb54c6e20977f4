import { createClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AlertIncident } from "@/lib/alerts/incidents";
import type { Database } from "@/lib/supabase/database.types";
import { validEnv } from "../support/env";
import { startReceiver, type Receiver } from "../support/webhook-receiver";

/**
 * How a Slack or webhook receiver's answer decides the step's fate: delivered, worth a
 * retry, or refused for good. A local receiver plays Slack.
 */
describe("alert channels' answers", () => {
  let receiver: Receiver;
  const incident: AlertIncident = {
    id: "5b0c8e4e-4d0a-4c7e-9d6f-0d6f0e7a1b2c",
    rule: "dead_letters",
    jobType: "send-digest",
    value: 11,
    threshold: 10,
    openedAt: "2026-12-05T12:00:00.000Z",
    resolvedAt: null,
    notifiedAt: null,
  };
  // Slack and the webhook read nothing from the database.
  const db = createClient<Database>("http://127.0.0.1:9", "sb_secret_unused");

  const sendToSlack = async (answer: Parameters<Receiver["path"]>[0]) => {
    const slack = receiver.path(answer);
    vi.stubEnv("ALERT_SLACK_WEBHOOK_URL", slack.url);
    vi.resetModules();
    const channels = await import("@/lib/alerts/channels");
    const outcome = await channels.sendOnChannel(db, "slack", { incident, kind: "open" }).catch((error: unknown) => error);
    return { outcome, arrivals: slack.arrivals() };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    for (const [name, value] of Object.entries(validEnv)) vi.stubEnv(name, value);
    vi.stubEnv("WEBHOOKS_ALLOW_LOOPBACK", "true");
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await receiver.close();
  });

  it("posts Slack's {text, blocks} as JSON and takes a 200 as delivered", async () => {
    const { outcome, arrivals } = await sendToSlack((res) => res.writeHead(200).end("ok"));
    expect(outcome).toBe(true);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(arrivals[0]!.body)).toMatchObject({ text: expect.stringContaining("send-digest"), blocks: expect.any(Array) });
  });

  it("gives up on a 4xx: a revoked webhook or a deleted channel won't come back by retrying", async () => {
    const { outcome } = await sendToSlack((res) => res.writeHead(404).end("no_service"));
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome).toMatchObject({ name: "AlertDeliveryError", permanent: true });
    expect((outcome as Error).message).toBe("Slack (slack) answered 404: no_service. Check the URL configured for it; retrying won't help.");
  });

  it("retries a 5xx, and waits as long as a 429 asks", async () => {
    expect((await sendToSlack((res) => res.writeHead(503).end("down"))).outcome).toMatchObject({ permanent: false, retryAfterSeconds: undefined });
    expect((await sendToSlack((res) => res.writeHead(429, { "retry-after": "30" }).end())).outcome).toMatchObject({
      permanent: false,
      retryAfterSeconds: 30,
    });
  });

  it("waits out a Retry-After of up to 5 minutes, and leaves a longer one to the next check", async () => {
    const { AlertDeliveryError, deliveryRetry, MAX_RETRY_AFTER_SECONDS } = await import("@/lib/alerts/channels");
    const rateLimited = (seconds: number) => new AlertDeliveryError("Slack (slack) answered 429", false, seconds);
    expect(MAX_RETRY_AFTER_SECONDS).toBe(300);
    expect(deliveryRetry(rateLimited(300))).toEqual({ retry: true, afterSeconds: 300 });
    expect(deliveryRetry(rateLimited(3_600))).toEqual({ retry: false });
    expect(deliveryRetry(new AlertDeliveryError("down", false))).toEqual({ retry: true });
    expect(deliveryRetry(new AlertDeliveryError("refused", true))).toEqual({ retry: false });
    // A receiver asking for an hour gets the step given up, not an hour's sleep.
    const { outcome } = await sendToSlack((res) => res.writeHead(429, { "retry-after": "3600" }).end());
    expect(outcome).toMatchObject({ name: "AlertDeliveryError", permanent: false, retryAfterSeconds: 3_600 });
    expect(deliveryRetry(outcome as InstanceType<typeof AlertDeliveryError>)).toEqual({ retry: false });
  });

  it("refuses a channel with no URL configured as permanent", async () => {
    vi.stubEnv("ALERT_SLACK_WEBHOOK_URL", undefined);
    vi.resetModules();
    const channels = await import("@/lib/alerts/channels");
    await expect(channels.sendOnChannel(db, "slack:nobody", { incident, kind: "open" })).rejects.toMatchObject({ permanent: true });
  });
});
