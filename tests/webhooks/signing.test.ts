import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { webhookMessageId } from "@/lib/webhooks/event-types";
import { newWebhookSecret, signedHeaders } from "@/lib/webhooks/signing";

const messageId = webhookMessageId("0b8f4a52-2d8a-4f43-9a1e-6c7d2b9e1f00");
const body = JSON.stringify({ type: "job.completed", timestamp: "2026-12-02T12:00:00.000Z", data: { ok: true } });

describe("newWebhookSecret", () => {
  it("is whsec_ and 32 random bytes in base64, different each time", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe("signedHeaders", () => {
  it("signs as Standard Webhooks verifies", () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders({ messageId, body, secrets: [secret] });
    expect(headers["webhook-id"]).toBe("msg_0b8f4a522d8a4f439a1e6c7d2b9e1f00");
    expect(headers["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(headers["user-agent"]).toBe("Offload-Webhooks/1");
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("carries one signature per secret, each verifying with its own secret", () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedHeaders({ messageId, body, secrets: [current, previous] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it("fails verification when the body was changed", () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders({ messageId, body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body.replace("true", "false"), headers)).toThrow(WebhookVerificationError);
  });

  it("stamps the attempt's time", () => {
    const headers = signedHeaders({ messageId, body, secrets: [newWebhookSecret()], at: new Date("2026-12-02T12:00:00.900Z") });
    expect(headers["webhook-timestamp"]).toBe(String(Date.UTC(2026, 11, 2, 12) / 1000));
  });

  it("refuses to send unsigned", () => expect(() => signedHeaders({ messageId, body, secrets: [] })).toThrow());
});
