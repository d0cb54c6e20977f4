import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { webhookDeliveryEventId, webhookDeliveryRequested } from "@/inngest/events";
import { webhookMessageId, type WebhookEventType } from "@/lib/webhooks/event-types";
import { newWebhookSecret } from "@/lib/webhooks/signing";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp } from "../support/http";
import { serviceClient, signUpUser } from "../support/supabase";
import { startReceiver, type Receiver } from "../support/webhook-receiver";


const db = serviceClient();

/** An endpoint and its secret, inserted with the service role as support would. */
async function createEndpoint(orgId: string, url: string, eventTypes: WebhookEventType[] = ["job.completed"]) {
  const endpoint = await db.from("webhook_endpoints").insert({ org_id: orgId, url, event_types: eventTypes }).select("id").single();
  if (endpoint.error) throw new Error(endpoint.error.message);
  const secret = newWebhookSecret();
  const stored = await db.from("webhook_secrets").insert({ endpoint_id: endpoint.data.id, secret });
  if (stored.error) throw new Error(stored.error.message);
  return { id: endpoint.data.id, secret };
}

const attemptsOf = async (messageId: string) => {
  const { data, error } = await db.from("webhook_attempts").select().eq("message_id", messageId).order("attempt");
  if (error) throw new Error(error.message);
  return data;
};

const messageOf = async (messageId: string) => {
  const { data, error } = await db.from("webhook_messages").select().eq("id", messageId).single();
  if (error) throw new Error(error.message);
  return data;
};

const bodySchema = z.object({ type: z.string(), timestamp: z.iso.datetime({ offset: true }), data: z.record(z.string(), z.unknown()) });

describe("webhook delivery", () => {
  let stack: AppStack;
  let receiver: Receiver;
  let inngest: Inngest;

  beforeAll(async () => {
    [stack, receiver] = await Promise.all([startAppStack(), startReceiver()]);
    inngest = new Inngest({ id: "offload-tests", isDev: true, baseUrl: stack.executor.url });
  }, 120_000);

  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  /** A job.completed message for every endpoint of `orgId` subscribed to it, each sent to delivery. */
  async function raise(orgId: string) {
    const { data, error } = await db.rpc("enqueue_webhook_messages", {
      p_org_id: orgId,
      p_event_type: "job.completed",
      p_payload: { test: randomUUID() },
      p_dedupe_key: `test:${randomUUID()}`,
    });
    if (error) throw new Error(error.message);
    await inngest.send(
      data.map((row) =>
        webhookDeliveryRequested.create(
          { orgId, endpointId: row.endpoint_id, messageId: row.message_id, round: row.replays },
          { id: webhookDeliveryEventId(row.message_id, row.replays) },
        ),
      ),
    );
    return data;
  }

  it("signs with Standard Webhooks and, after three 500s, delivers on attempt 4 under the same webhook-id", async () => {
    const { orgId } = await signUpUser("Retries");
    const hook = receiver.path((res, n) => (n <= 3 ? res.writeHead(500).end("down") : res.writeHead(204).end()));
    const endpoint = await createEndpoint(orgId, hook.url);
    const [row] = await raise(orgId);
    const messageId = row!.message_id;

    await vi.waitFor(async () => expect((await messageOf(messageId)).status).toBe("delivered"), { timeout: 30_000, interval: 200 });
    const arrivals = hook.arrivals();
    expect(arrivals).toHaveLength(4);
    const ids = new Set(arrivals.map((a) => a.headers["webhook-id"]));
    expect([...ids]).toEqual([webhookMessageId(messageId)]);
    for (const arrival of arrivals) {
      expect(arrival.headers["content-type"]).toBe("application/json");
      expect(arrival.headers["user-agent"]).toBe("Offload-Webhooks/1");
      const verified = new Webhook(endpoint.secret).verify(arrival.body, arrival.headers);
      expect(bodySchema.parse(verified)).toMatchObject({ type: "job.completed", data: { test: expect.any(String) } });
    }
    const attempts = await attemptsOf(messageId);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.outcome])).toEqual([
      [1, 500, "retry"],
      [2, 500, "retry"],
      [3, 500, "retry"],
      [4, 204, "delivered"],
    ]);
    expect(attempts[0]!.response_excerpt).toBe("down");
    expect(await messageOf(messageId)).toMatchObject({ attempts: 4, last_status_code: 204 });
  });

  it("gives up at once on 410 Gone", async () => {
    const { orgId } = await signUpUser("Gone");
    const hook = receiver.path((res) => res.writeHead(410).end("gone"));
    await createEndpoint(orgId, hook.url);
    const [row] = await raise(orgId);
    const messageId = row!.message_id;

    await vi.waitFor(async () => expect((await messageOf(messageId)).status).toBe("failed"), { timeout: 15_000, interval: 200 });
    const run = () => [...stack.executor.store.runs.values()].find((r) => r.event.data?.messageId === messageId);
    await expect.poll(() => run()?.status, { timeout: 10_000 }).toBe("Failed");
    expect((await attemptsOf(messageId)).map((a) => [a.attempt, a.status_code, a.outcome])).toEqual([[1, 410, "failed"]]);
    expect(hook.arrivals()).toHaveLength(1);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    const { orgId } = await signUpUser("Rate limited");
    const hook = receiver.path((res, n) => (n === 1 ? res.writeHead(429, { "retry-after": "2" }).end() : res.writeHead(200).end()));
    await createEndpoint(orgId, hook.url);
    const [row] = await raise(orgId);

    await vi.waitFor(async () => expect((await messageOf(row!.message_id)).status).toBe("delivered"), { timeout: 20_000, interval: 200 });
    const [first, second] = hook.arrivals();
    // The schedule alone (5 s × 0.001) would have tried again within milliseconds.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
    const [attempt] = await attemptsOf(row!.message_id);
    expect(attempt).toMatchObject({ status_code: 429, outcome: "retry" });
  });

  it("counts a receiver that doesn't answer within 10 s as a failed attempt, and tries again", async () => {
    const { orgId } = await signUpUser("Hanging");
    const hook = receiver.path((res, n) => (n === 1 ? receiver.hang(res) : res.writeHead(200).end()));
    await createEndpoint(orgId, hook.url);
    const [row] = await raise(orgId);

    await vi.waitFor(async () => expect((await messageOf(row!.message_id)).status).toBe("delivered"), { timeout: 30_000, interval: 250 });
    const [first, second] = await attemptsOf(row!.message_id);
    expect(first).toMatchObject({ status_code: null, outcome: "retry", error: expect.stringMatching(/^timeout/) });
    expect(first!.duration_ms).toBeGreaterThanOrEqual(10_000);
    expect(first!.duration_ms).toBeLessThan(12_000);
    expect(second).toMatchObject({ status_code: 200, outcome: "delivered" });
  }, 40_000);

  it("signs with both secrets during a rotation's overlap", async () => {
    const owner = await signUpUser("Rotating");
    const hook = receiver.path();
    const endpoint = await createEndpoint(owner.orgId, hook.url);
    const rotated = newWebhookSecret();
    const { error } = await owner.client.rpc("rotate_webhook_secret", { p_endpoint_id: endpoint.id, p_secret: rotated });
    expect(error).toBeNull();
    await raise(owner.orgId);

    await vi.waitFor(() => expect(hook.arrivals()).toHaveLength(1), { timeout: 15_000 });
    const [arrival] = hook.arrivals();
    expect(arrival!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(endpoint.secret).verify(arrival!.body, arrival!.headers)).toBeTruthy();
    expect(new Webhook(rotated).verify(arrival!.body, arrival!.headers)).toBeTruthy();
  });

  it("refuses private and metadata addresses at delivery, sending nothing", async () => {
    const { orgId } = await signUpUser("Private");
    await createEndpoint(orgId, "http://10.0.0.1/hook");
    await createEndpoint(orgId, "http://169.254.169.254/latest/meta-data");
    const rows = await raise(orgId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      await vi.waitFor(
        async () => expect((await attemptsOf(row.message_id))[0]).toMatchObject({ status_code: null, outcome: "retry", error: expect.stringMatching(/^unsafe_address/) }),
        { timeout: 15_000, interval: 200 },
      );
    }
  });

  it("turns off an endpoint that has failed for 5 days, stops trying, and emails its owner once", async () => {
    const owner = await signUpUser("Failing");
    const hook = receiver.path((res) => res.writeHead(503).end("still down"));
    const endpoint = await createEndpoint(owner.orgId, hook.url);
    const since = new Date(Date.now() - 6 * 24 * 3_600_000).toISOString();
    const failing = await db.from("webhook_endpoints").update({ failing_since: since }).eq("id", endpoint.id);
    expect(failing.error).toBeNull();
    const [row] = await raise(owner.orgId);

    await vi.waitFor(async () => expect((await messageOf(row!.message_id)).status).toBe("skipped"), { timeout: 15_000, interval: 200 });
    const { data } = await db.from("webhook_endpoints").select("enabled, disabled_reason").eq("id", endpoint.id).single();
    expect(data).toEqual({ enabled: false, disabled_reason: "failing" });
    await expect
      .poll(() => stack.mail.outbox.list({ to: owner.email }).filter((e) => e.subject === "A webhook endpoint was turned off").length, { timeout: 15_000 })
      .toBe(1);
    expect(hook.arrivals()).toHaveLength(1);
    expect((await attemptsOf(row!.message_id)).map((a) => [a.status_code, a.outcome])).toEqual([[503, "retry"]]);
  });

  it("delivers a real report's job.completed and report.ready once per endpoint, however often its end is announced", async () => {
    const client = await signUpThroughApp(stack.app.url, "Reporter");
    const membership = await db.from("memberships").select("org_id").eq("user_id", client.userId).single();
    const orgId = membership.data!.org_id;
    const hooks = [receiver.path(), receiver.path()];
    const endpoints = await Promise.all(hooks.map((hook) => createEndpoint(orgId, hook.url, ["job.completed", "report.ready"])));

    const started = await client.json<{ jobId: string }>("/api/reports", {
      method: "POST",
      headers: { "Idempotency-Key": randomUUID() },
      body: JSON.stringify({ kind: "summary", from: "2026-10-01", to: "2026-10-02" }),
    });
    expect(started.status).toBe(202);
    const jobId = started.body.jobId;

    // The sign-up's welcome email ends as a job too, and may be announced as well: only the report's count here.
    const ofReport = (hook: (typeof hooks)[number], secret: string) =>
      hook
        .arrivals()
        .map((a) => bodySchema.parse(new Webhook(secret).verify(a.body, a.headers)))
        .filter((b) => z.object({ job: z.object({ id: z.string() }) }).safeParse(b.data).data?.job.id === jobId);
    for (const [i, hook] of hooks.entries()) {
      const secret = endpoints[i]!.secret;
      await vi.waitFor(() => expect(ofReport(hook, secret)).toHaveLength(2), { timeout: 30_000, interval: 200 });
      const byType = Object.fromEntries(ofReport(hook, secret).map((b) => [b.type, b.data]));
      expect(Object.keys(byType).sort()).toEqual(["job.completed", "report.ready"]);
      expect(byType["job.completed"]).toMatchObject({
        organisationId: orgId,
        job: { id: jobId, type: "report", status: "completed", error: null, endedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
      });
      expect(byType["report.ready"]).toMatchObject({ report: { id: jobId, url: expect.stringMatching(new RegExp(`/dashboard/reports/${jobId}$`)) } });
    }

    // The report's run ending, announced ten more times: each fan-out finds the same messages.
    const reportRun = [...stack.executor.store.runs.values()].find((r) => r.functionId === "offload-generate-report" && r.event.data?.jobId === jobId);
    expect(reportRun).toBeDefined();
    const fanOuts = () => [...stack.executor.store.runs.values()].filter((r) => r.functionId === "offload-webhook-job-events" && r.event.data?.run_id === reportRun!.id);
    await expect.poll(() => fanOuts().filter((r) => r.status === "Completed").length, { timeout: 10_000 }).toBe(1);
    stack.executor.executor.send(
      Array.from({ length: 10 }, () => ({
        name: "inngest/function.finished",
        data: { function_id: reportRun!.functionId, run_id: reportRun!.id, event: reportRun!.event, result: null },
      })),
    );
    await expect.poll(() => fanOuts().filter((r) => r.status === "Completed").length, { timeout: 20_000 }).toBe(11);
    const { data: messages } = await db.from("webhook_messages").select("id").eq("job_id", jobId);
    expect(messages).toHaveLength(4);
    const messageIds = new Set(messages!.map((m) => m.id));
    const deliveries = [...stack.executor.store.runs.values()].filter(
      (r) => r.functionId === "offload-deliver-webhook" && messageIds.has(String(r.event.data?.messageId)),
    );
    expect(deliveries).toHaveLength(4);
    await expect.poll(() => deliveries.every((r) => r.status === "Completed"), { timeout: 10_000 }).toBe(true);
    for (const [i, hook] of hooks.entries()) expect(ofReport(hook, endpoints[i]!.secret)).toHaveLength(2);
  }, 90_000);
});

describe("webhook delivery without loopback allowed (production's rule)", () => {
  let stack: AppStack;
  let receiver: Receiver;

  beforeAll(async () => {
    [stack, receiver] = await Promise.all([startAppStack({ env: { WEBHOOKS_ALLOW_LOOPBACK: "false" } }), startReceiver()]);
  }, 120_000);

  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  it("refuses a 127.0.0.1 endpoint at delivery: the attempt says why and the receiver sees nothing", async () => {
    const { orgId } = await signUpUser("Loopback");
    const hook = receiver.path();
    await createEndpoint(orgId, hook.url);
    const { data, error } = await db.rpc("enqueue_webhook_messages", {
      p_org_id: orgId,
      p_event_type: "job.completed",
      p_payload: {},
      p_dedupe_key: `test:${randomUUID()}`,
    });
    expect(error).toBeNull();
    const [row] = data!;
    const inngest = new Inngest({ id: "offload-tests", isDev: true, baseUrl: stack.executor.url });
    await inngest.send(webhookDeliveryRequested.create({ orgId, endpointId: row!.endpoint_id, messageId: row!.message_id, round: 0 }));

    await vi.waitFor(
      async () => expect((await attemptsOf(row!.message_id)).length).toBeGreaterThanOrEqual(2),
      { timeout: 20_000, interval: 200 },
    );
    const attempts = await attemptsOf(row!.message_id);
    expect(attempts[0]).toMatchObject({ status_code: null, outcome: "retry", error: expect.stringMatching(/^unsafe_address: 127\.0\.0\.1 resolves to 127\.0\.0\.1/) });
    expect(hook.arrivals()).toHaveLength(0);
  }, 40_000);
});
