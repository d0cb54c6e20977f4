import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { alertWebhookPayload, alertWebhookPayloadSchema, slackMessage } from "@/lib/alerts/channels";
import type { AlertIncident } from "@/lib/alerts/incidents";
import { routeIncident } from "@/lib/alerts/notifications";
import { configuredAlertChannels, parseEnv } from "@/lib/env";
import { newWebhookSecret, signedHeaders } from "@/lib/webhooks/signing";
import { validEnv } from "../support/env";

const SLACK = "https://hooks.slack.com/services/T000/B000/XXXX";

describe("alert routing", () => {
  const all = ["email", "slack", "slack:email-team", "webhook"] as const;

  it("sends to every configured channel when no route is configured", () => {
    expect(routeIncident({ rule: "dead_letters", jobType: "send-digest" }, [], all)).toEqual([...all]);
  });

  it("takes the first route that matches the job type and the rule", () => {
    const routes = [
      { jobTypes: ["send-digest"], rules: ["dead_letters" as const, "dead_letters_daily" as const], channels: ["slack:email-team" as const] },
      { rules: ["worker_silent" as const], channels: ["slack" as const, "email" as const] },
      { channels: ["email" as const] },
    ];
    expect(routeIncident({ rule: "dead_letters", jobType: "send-digest" }, routes, all)).toEqual(["slack:email-team"]);
    expect(routeIncident({ rule: "dead_letters_daily", jobType: "send-digest" }, routes, all)).toEqual(["slack:email-team"]);
    // Same type, another rule; same rule, another type: the catch-all.
    expect(routeIncident({ rule: "queue_depth", jobType: "send-digest" }, routes, all)).toEqual(["email"]);
    expect(routeIncident({ rule: "dead_letters", jobType: "generate-report" }, routes, all)).toEqual(["email"]);
    expect(routeIncident({ rule: "worker_silent", jobType: "*" }, routes, all)).toEqual(["email", "slack"]);
  });

  it("falls back to every channel when no route matches", () => {
    const routes = [{ jobTypes: ["send-digest"], channels: ["slack" as const] }];
    expect(routeIncident({ rule: "stuck_jobs", jobType: "generate-report" }, routes, all)).toEqual([...all]);
  });
});

describe("alert channel configuration", () => {
  it("has email always, and Slack, named Slack channels and the webhook when their URLs are set", () => {
    expect(configuredAlertChannels(parseEnv(validEnv))).toEqual(["email"]);
    const env = parseEnv({
      ...validEnv,
      ALERT_SLACK_WEBHOOK_URL: SLACK,
      ALERT_SLACK_CHANNELS: JSON.stringify({ "email-team": SLACK }),
      ALERT_WEBHOOK_URL: "https://alerts.example.com/hook",
      ALERT_WEBHOOK_SECRET: newWebhookSecret(),
    });
    expect(configuredAlertChannels(env)).toEqual(["email", "slack", "slack:email-team", "webhook"]);
  });

  it("parses ALERT_ROUTES", () => {
    const routes = [{ jobTypes: ["send-digest"], rules: ["dead_letters"], channels: ["slack"] }];
    const env = parseEnv({ ...validEnv, ALERT_SLACK_WEBHOOK_URL: SLACK, ALERT_ROUTES: JSON.stringify(routes) });
    expect(env.ALERT_ROUTES).toEqual(routes);
  });

  it("refuses ALERT_ROUTES that isn't JSON", () => {
    expect(() => parseEnv({ ...validEnv, ALERT_ROUTES: "[{jobTypes:" })).toThrow("ALERT_ROUTES is not valid JSON");
  });

  it.each([
    ["an unknown rule", JSON.stringify([{ rules: ["dead_leters"], channels: ["email"] }])],
    ["an unknown channel", JSON.stringify([{ channels: ["pager"] }])],
    ["no channels", JSON.stringify([{ jobTypes: ["send-digest"], channels: [] }])],
    ["an unknown key", JSON.stringify([{ jobType: ["send-digest"], channels: ["email"] }])],
  ])("refuses ALERT_ROUTES with %s", (_, value) => {
    expect(() => parseEnv({ ...validEnv, ALERT_ROUTES: value })).toThrow(/ALERT_ROUTES is invalid: expected JSON routes/);
  });

  it("refuses a route naming a job type the registry doesn't have, so a typo can't fall through", () => {
    const route = (jobTypes: string[]) => JSON.stringify([{ jobTypes, channels: ["email"] }]);
    expect(() => parseEnv({ ...validEnv, ALERT_ROUTES: route(["send_digest"]) })).toThrow(
      "ALERT_ROUTES names the job type send_digest, which is not one of",
    );
    expect(parseEnv({ ...validEnv, ALERT_ROUTES: route(["send-digest", "*"]) }).ALERT_ROUTES).toEqual([
      { jobTypes: ["send-digest", "*"], channels: ["email"] },
    ]);
  });

  it("refuses a route to a channel that isn't configured, and a webhook without its secret", () => {
    expect(() => parseEnv({ ...validEnv, ALERT_ROUTES: JSON.stringify([{ channels: ["slack"] }]) })).toThrow(
      "ALERT_ROUTES names the channel slack, which is not configured",
    );
    expect(() => parseEnv({ ...validEnv, ALERT_WEBHOOK_URL: "https://alerts.example.com/hook" })).toThrow(
      "ALERT_WEBHOOK_SECRET is missing",
    );
  });
});

describe("alert messages", () => {
  beforeAll(() => {
    for (const [name, value] of Object.entries(validEnv)) vi.stubEnv(name, value);
  });
  afterAll(() => vi.unstubAllEnvs());
  const incident: AlertIncident = {
    id: "5b0c8e4e-4d0a-4c7e-9d6f-0d6f0e7a1b2c",
    rule: "dead_letters",
    jobType: "send-digest",
    value: 11,
    threshold: 10,
    openedAt: "2026-12-05T12:00:00.000Z",
    resolvedAt: "2026-12-05T12:40:00.000Z",
    notifiedAt: null,
  };

  it("gives Slack a text fallback and blocks, with its markup escaped", () => {
    const message = slackMessage({ incident: { ...incident, jobType: "a<b>&c" }, kind: "open" });
    expect(message.text).toBe(":rotating_light: Alert: a<b>&c: 11 jobs failed for good in the last hour");
    expect(JSON.stringify(message.blocks)).toContain("a&lt;b&gt;&amp;c");
    expect(slackMessage({ incident, kind: "resolved" }).text).toBe(
      ":white_check_mark: Resolved: send-digest: 11 jobs failed for good in the last hour",
    );
  });

  it("signs the webhook payload so the standardwebhooks library verifies it", () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify(alertWebhookPayload({ incident, kind: "resolved" }));
    const headers = signedHeaders({ messageId: `msg_alert_${incident.id}_resolved`, body, secrets: [secret] });
    const payload = alertWebhookPayloadSchema.parse(new Webhook(secret).verify(body, headers));
    expect(payload).toMatchObject({
      type: "alert.incident",
      status: "resolved",
      incident: { id: incident.id, rule: "dead_letters", jobType: "send-digest", resolvedAt: incident.resolvedAt },
    });
    expect(alertWebhookPayload({ incident, kind: "open" }).incident.resolvedAt).toBeNull();
  });
});
