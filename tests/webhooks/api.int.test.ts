import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { webhookDeliveryEventId, webhookDeliveryRequested } from "@/inngest/events";
import { NOT_QUEUED } from "@/lib/webhooks/endpoints";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, serviceClient } from "../support/supabase";

type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string> } };
type Endpoint = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  lastDeliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
};
type Message = { id: string; webhookId: string; eventType: string; status: string; attempts: number; replays: number; createdAt: string };
type Attempt = { attempt: number; statusCode: number | null; durationMs: number; responseExcerpt: string | null; error: string | null; outcome: string };

const json = (method: string, body?: unknown) => ({ method, body: body === undefined ? undefined : JSON.stringify(body) });

/**
 * The webhooks API through the real app, each user with their own session: owners and
 * admins manage their organisation's endpoints; members and strangers are told there is
 * nothing there (404), and every refusal is checked in the tables to have written nothing.
 * Delivery itself is the deliver-webhook function's: here, what the API queues for it (the
 * message rows and the executor's events).
 */
describe(`the webhooks API (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let receiver: Server;
  let receiverUrl: string;
  let owner: ApiClient;
  let admin: ApiClient;
  let member: ApiClient;
  let stranger: ApiClient;
  let orgId: string;
  let otherOrgId: string;

  const base = (org = orgId) => `/api/organisations/${org}/webhooks`;
  const create = (by: ApiClient, body: unknown, org = orgId) =>
    by.json<{ endpoint: Endpoint; secret: string } & ErrorAnswer>(base(org), json("POST", body));
  const newEndpoint = async (by: ApiClient = owner, org = orgId, extra: Record<string, unknown> = {}) => {
    const { status, body } = await create(by, { url: `${receiverUrl}/${randomUUID()}`, eventTypes: ["job.completed"], ...extra }, org);
    expect(status).toBe(201);
    return body;
  };
  /** Everything about an organisation's webhooks a request could change. */
  const webhookState = async (org = orgId) => {
    const endpoints = (await db.from("webhook_endpoints").select().eq("org_id", org).order("id")).data ?? [];
    const ids = endpoints.map((endpoint) => endpoint.id);
    const secrets = (await db.from("webhook_secrets").select().in("endpoint_id", ids).order("id")).data;
    const messages = (await db.from("webhook_messages").select().eq("org_id", org).order("id")).data;
    return { endpoints, secrets, messages };
  };
  const auditOf = async (action: string, endpointId: string) =>
    ((await db.from("audit_log").select("action, actor_id, org_id, details").eq("action", action)).data ?? []).filter(
      (entry) => typeof entry.details === "object" && entry.details !== null && !Array.isArray(entry.details) && entry.details.endpointId === endpointId,
    );
  const deliveryEvents = (messageId: string) =>
    stack.executor.store.events.filter((event) => event.name === webhookDeliveryRequested.name && event.data.messageId === messageId);
  /** A message as the deliverer leaves it, written with the service role. */
  const seedMessage = async (endpointId: string, fields: { status: "pending" | "delivered" | "failed" | "skipped" | "retrying"; eventType?: "job.completed" | "job.failed" | "webhook.test"; createdAt?: string }) => {
    const { data, error } = await db
      .from("webhook_messages")
      .insert({
        org_id: orgId,
        endpoint_id: endpointId,
        event_type: fields.eventType ?? "job.completed",
        payload: { seeded: true },
        dedupe_key: `seed:${randomUUID()}`,
        status: fields.status,
        attempts: fields.status === "pending" ? 0 : 1,
        created_at: fields.createdAt,
      })
      .select("id, created_at")
      .single();
    if (error) throw new Error(error.message);
    return data;
  };

  beforeAll(async () => {
    // A receiver that takes everything, so once messages are delivered they are delivered here.
    receiver = createServer((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

    stack = await startAppStack({ env: { WEBHOOKS_ALLOW_LOOPBACK: "true" } });
    const signUp = (name: string) => signUpThroughApp(stack.app.url, name);
    [owner, admin, member, stranger] = await Promise.all([signUp("Olga"), signUp("Adam"), signUp("Mia"), signUp("Sam")]);
    orgId = await createTeamOrg([
      { userId: owner.userId, role: "owner" },
      { userId: admin.userId, role: "admin" },
      { userId: member.userId, role: "member" },
    ]);
    otherOrgId = await createTeamOrg([{ userId: stranger.userId, role: "owner" }]);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  describe("endpoints", () => {
    it("registers an endpoint and answers its secret once: never in a list or a read, and audited", async () => {
      const url = `${receiverUrl}/orders?source=offload`;
      const { status, body } = await create(owner, { url, description: "  Orders service ", eventTypes: ["job.completed", "report.ready"] });
      expect(status).toBe(201);
      expect(body.endpoint).toEqual({
        id: expect.any(String),
        url,
        description: "Orders service",
        eventTypes: ["job.completed", "report.ready"],
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        failingSince: null,
        lastDeliveredAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(body.secret.slice("whsec_".length), "base64")).toHaveLength(32);
      const { data: secrets } = await db.from("webhook_secrets").select("secret, expires_at").eq("endpoint_id", body.endpoint.id);
      expect(secrets).toEqual([{ secret: body.secret, expires_at: null }]);

      const list = await owner.fetch(base());
      expect(list.status).toBe(200);
      expect(list.headers.get("cache-control")).toBe("no-store");
      const listed = await list.text();
      expect(listed).not.toContain("whsec_");
      expect((JSON.parse(listed) as { endpoints: Endpoint[] }).endpoints).toContainEqual(body.endpoint);
      const read = await owner.fetch(`${base()}/${body.endpoint.id}`);
      expect(await read.text()).not.toContain("whsec_");

      expect(await auditOf("webhook.endpoint_created", body.endpoint.id)).toEqual([
        {
          action: "webhook.endpoint_created",
          actor_id: owner.userId,
          org_id: orgId,
          details: { endpointId: body.endpoint.id, url, eventTypes: ["job.completed", "report.ready"] },
        },
      ]);
    });

    it("lets an admin manage endpoints as an owner does", async () => {
      const { endpoint } = await newEndpoint(admin);
      expect((await admin.json<{ endpoints: Endpoint[] }>(base())).body.endpoints.map((e) => e.id)).toContain(endpoint.id);
      expect((await admin.fetch(`${base()}/${endpoint.id}`, { method: "DELETE" })).status).toBe(204);
    });

    it.each([
      ["no URL", { eventTypes: ["job.completed"] }, "url"],
      ["a URL that is a number", { url: 5, eventTypes: ["job.completed"] }, "url"],
      ["a URL without a scheme", { url: "hooks.example.com/offload", eventTypes: ["job.completed"] }, "url"],
      ["an ftp URL", { url: "ftp://files.example.com/in", eventTypes: ["job.completed"] }, "url"],
      ["a URL with a space", { url: "https://hooks.example.com/a b", eventTypes: ["job.completed"] }, "url"],
      ["a URL with credentials", { url: "https://user:pw@hooks.example.com/in", eventTypes: ["job.completed"] }, "url"],
      ["a URL over 2048 characters", { url: `https://hooks.example.com/${"a".repeat(2048)}`, eventTypes: ["job.completed"] }, "url"],
      ["a NUL in the URL", { url: "https://hooks.example.com/\u0000", eventTypes: ["job.completed"] }, "url"],
      ["a NUL in the description", { url: "https://hooks.example.com/in", description: "a\u0000b", eventTypes: ["job.completed"] }, "description"],
      ["a line break in the description", { url: "https://hooks.example.com/in", description: "two\nlines", eventTypes: ["job.completed"] }, "description"],
      ["a description over 200 characters", { url: "https://hooks.example.com/in", description: "d".repeat(201), eventTypes: ["job.completed"] }, "description"],
      ["no event types", { url: "https://hooks.example.com/in", eventTypes: [] }, "eventTypes"],
      ["event types as a string", { url: "https://hooks.example.com/in", eventTypes: "job.completed" }, "eventTypes"],
      ["an unknown event type", { url: "https://hooks.example.com/in", eventTypes: ["job.started"] }, "eventTypes.0"],
      ["the test event type", { url: "https://hooks.example.com/in", eventTypes: ["webhook.test"] }, "eventTypes.0"],
      ["an event type twice", { url: "https://hooks.example.com/in", eventTypes: ["job.failed", "job.failed"] }, "eventTypes"],
    ])("refuses %s with a 400 naming the field, and writes nothing", async (_, input, field) => {
      const before = await webhookState();
      const { status, body } = await create(owner, input);
      expect(status).toBe(400);
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.fields?.[field]).toBeDefined();
      expect(await webhookState()).toEqual(before);
    });

    it("refuses what isn't a JSON object of the expected fields, and writes nothing", async () => {
      const before = await webhookState();
      const malformed = await owner.json<ErrorAnswer>(base(), { method: "POST", body: '{"url": "https://hooks.example.com/in",' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe("invalid_json");
      const asForm = await owner.json<ErrorAnswer>(base(), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "url=https://hooks.example.com/in",
      });
      expect(asForm.status).toBe(415);
      const extra = await create(owner, { url: "https://hooks.example.com/in", eventTypes: ["job.completed"], secret: "whsec_mine" });
      expect(extra.status).toBe(400);
      const array = await create(owner, [{ url: "https://hooks.example.com/in", eventTypes: ["job.completed"] }]);
      expect(array.status).toBe(400);
      expect(await webhookState()).toEqual(before);
    });

    it("refuses a URL that may not receive webhooks (422 unsafe_url), and writes nothing", async () => {
      const before = await webhookState();
      const plain = await create(owner, { url: "http://hooks.example.com/in", eventTypes: ["job.completed"] });
      expect(plain.status).toBe(422);
      expect(plain.body.error).toMatchObject({ code: "unsafe_url", fields: { url: expect.any(String) } });
      expect(await webhookState()).toEqual(before);
    });

    it("is a 404 to members and strangers, for every endpoint, and they change nothing", async () => {
      const { endpoint } = await newEndpoint();
      const before = await webhookState();
      for (const outsider of [member, stranger]) {
        const calls = [
          outsider.json<ErrorAnswer>(base()),
          create(outsider, { url: `${receiverUrl}/x`, eventTypes: ["job.completed"] }),
          outsider.json<ErrorAnswer>(`${base()}/${endpoint.id}`),
          outsider.json<ErrorAnswer>(`${base()}/${endpoint.id}`, json("PATCH", { enabled: false })),
          outsider.json<ErrorAnswer>(`${base()}/${endpoint.id}`, json("DELETE")),
          outsider.json<ErrorAnswer>(`${base()}/${endpoint.id}/rotate`, json("POST")),
          outsider.json<ErrorAnswer>(`${base()}/${endpoint.id}/test`, json("POST")),
          outsider.json<ErrorAnswer>(`${base()}/${endpoint.id}/messages`),
          outsider.json<ErrorAnswer>(`${base()}/${endpoint.id}/replay`, json("POST", { since: new Date(0).toISOString() })),
        ];
        for (const { status, body } of await Promise.all(calls)) {
          expect(status).toBe(404);
          expect(body.error.code).toBe("not_found");
        }
      }
      expect(await webhookState()).toEqual(before);
    }, 90_000);

    it("is a 404 for unknown ids and another organisation's, under any organisation, and changes nothing", async () => {
      const { endpoint: theirs } = await newEndpoint(stranger, otherOrgId);
      const before = [await webhookState(), await webhookState(otherOrgId)];
      const paths = [
        `${base()}/${theirs.id}`,
        `${base()}/${randomUUID()}`,
        `${base()}/not-a-uuid`,
        `${base(randomUUID())}/${theirs.id}`,
      ];
      for (const path of paths) {
        for (const [suffix, init] of [
          ["", json("PATCH", { enabled: false })],
          ["", json("DELETE")],
          ["/rotate", json("POST")],
          ["/test", json("POST")],
          ["/messages", json("GET")],
          [`/messages/${randomUUID()}`, json("GET")],
          ["/replay", json("POST", { since: new Date(0).toISOString() })],
        ] as const) {
          const { status, body } = await owner.json<ErrorAnswer>(`${path}${suffix}`, init);
          expect([path + suffix, status]).toEqual([path + suffix, 404]);
          expect(body.error.code).toBe("not_found");
        }
      }
      expect([await webhookState(), await webhookState(otherOrgId)]).toEqual(before);
    }, 90_000);

    it("turns an endpoint off and on, and changes its URL, description and events", async () => {
      const { endpoint } = await newEndpoint();
      const off = await owner.json<{ endpoint: Endpoint }>(`${base()}/${endpoint.id}`, json("PATCH", { enabled: false }));
      expect(off.status).toBe(200);
      expect(off.body.endpoint).toMatchObject({ enabled: false, disabledReason: "manual", disabledAt: expect.any(String) });
      const on = await owner.json<{ endpoint: Endpoint }>(`${base()}/${endpoint.id}`, json("PATCH", { enabled: true }));
      expect(on.body.endpoint).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, failingSince: null });

      const url = `${receiverUrl}/moved`;
      const changed = await owner.json<{ endpoint: Endpoint }>(
        `${base()}/${endpoint.id}`,
        json("PATCH", { url, description: "Moved", eventTypes: ["job.failed", "job.cancelled"] }),
      );
      expect(changed.status).toBe(200);
      expect(changed.body.endpoint).toMatchObject({ url, description: "Moved", eventTypes: ["job.failed", "job.cancelled"], enabled: true });

      const before = await webhookState();
      for (const change of [{}, { enabled: "no" }, { eventTypes: [] }, { url: "http://hooks.example.com/in" }, { description: "\u0000" }, { orgId: otherOrgId }]) {
        const { status } = await owner.json<ErrorAnswer>(`${base()}/${endpoint.id}`, json("PATCH", change));
        expect([change, status]).toEqual([change, "url" in change ? 422 : 400]);
      }
      expect(await webhookState()).toEqual(before);
    });

    it("rotates the secret: a new one, answered once, and the old one signs for 24 more hours; audited", async () => {
      const { endpoint, secret } = await newEndpoint();
      const { status, body } = await owner.json<{ secret: string; previousExpiresAt: string }>(`${base()}/${endpoint.id}/rotate`, json("POST"));
      expect(status).toBe(200);
      expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(body.secret).not.toBe(secret);
      const overlap = Date.parse(body.previousExpiresAt) - Date.now();
      expect(overlap).toBeGreaterThan(23.9 * 3600_000);
      expect(overlap).toBeLessThanOrEqual(24 * 3600_000);
      const { data: secrets } = await db.from("webhook_secrets").select("secret, expires_at").eq("endpoint_id", endpoint.id).order("created_at");
      expect(secrets?.map((row) => row.secret)).toEqual([secret, body.secret]);
      expect(Date.parse(secrets?.[0]?.expires_at ?? "")).toBe(Date.parse(body.previousExpiresAt));
      expect(secrets?.[1]?.expires_at).toBeNull();
      expect(await (await owner.fetch(base())).text()).not.toContain(body.secret);
      expect(await auditOf("webhook.secret_rotated", endpoint.id)).toEqual([
        { action: "webhook.secret_rotated", actor_id: owner.userId, org_id: orgId, details: { endpointId: endpoint.id, previousExpiresAt: body.previousExpiresAt } },
      ]);
    });

    it("deletes an endpoint with its messages; audited, and a second delete is a 404", async () => {
      const { endpoint } = await newEndpoint();
      const message = await seedMessage(endpoint.id, { status: "failed" });
      expect((await owner.fetch(`${base()}/${endpoint.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await db.from("webhook_endpoints").select("id").eq("id", endpoint.id)).data).toEqual([]);
      expect((await db.from("webhook_messages").select("id").eq("id", message.id)).data).toEqual([]);
      expect(await auditOf("webhook.endpoint_deleted", endpoint.id)).toEqual([
        { action: "webhook.endpoint_deleted", actor_id: owner.userId, org_id: orgId, details: { endpointId: endpoint.id, url: endpoint.url } },
      ]);
      expect((await owner.fetch(`${base()}/${endpoint.id}`, { method: "DELETE" })).status).toBe(404);
    });
  });

  describe("test events", () => {
    it("makes a webhook.test message and queues its delivery, on or off", async () => {
      const { endpoint } = await newEndpoint();
      await owner.json(`${base()}/${endpoint.id}`, json("PATCH", { enabled: false }));
      const { status, body } = await owner.json<{ messageId: string }>(`${base()}/${endpoint.id}/test`, json("POST"));
      expect(status).toBe(202);
      const { data: row } = await db.from("webhook_messages").select().eq("id", body.messageId).single();
      expect(row).toMatchObject({
        org_id: orgId,
        endpoint_id: endpoint.id,
        event_type: "webhook.test",
        payload: { test: true, endpointId: endpoint.id },
        replays: 0,
        dedupe_key: expect.stringMatching(/^test:/),
      });
      await vi.waitFor(() =>
        expect(deliveryEvents(body.messageId)).toEqual([
          expect.objectContaining({
            id: webhookDeliveryEventId(body.messageId, 0),
            data: { orgId, endpointId: endpoint.id, messageId: body.messageId, round: 0 },
          }),
        ]),
      );
      // It shows in the log straight away.
      const log = await owner.json<{ messages: Message[] }>(`${base()}/${endpoint.id}/messages`);
      expect(log.body.messages.map((message) => message.id)).toEqual([body.messageId]);
      expect(log.body.messages[0]).toMatchObject({ eventType: "webhook.test", webhookId: `msg_${body.messageId.replaceAll("-", "")}` });
    });

    it("with Inngest unreachable, answers 503 and leaves the message skipped, so a replay sends it once Inngest is back", async () => {
      const { endpoint } = await newEndpoint();
      // The SDK retries the send for a few seconds before it gives up.
      const down = await stack.withExecutorDown(() => owner.json<ErrorAnswer>(`${base()}/${endpoint.id}/test`, json("POST")));
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe("queue_unavailable");
      const { data: messages } = await db.from("webhook_messages").select("id, status, last_error").eq("endpoint_id", endpoint.id);
      expect(messages).toEqual([{ id: expect.any(String), status: "skipped", last_error: NOT_QUEUED }]);

      const replayed = await owner.json<{ replayed: number }>(`${base()}/${endpoint.id}/replay`, json("POST", { messageId: messages![0]!.id }));
      expect(replayed).toMatchObject({ status: 202, body: { replayed: 1 } });
      await vi.waitFor(async () => {
        const { data } = await db.from("webhook_messages").select("status, replays").eq("id", messages![0]!.id).single();
        expect(data).toEqual({ status: "delivered", replays: 1 });
      }, { timeout: 20_000, interval: 200 });
    }, 90_000);
  });

  describe("the delivery log", () => {
    let endpointId: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      ({ id: endpointId } = (await newEndpoint()).endpoint);
      // Oldest first; two made at the same instant, which the cursor must still tell apart.
      const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString();
      ids.a = (await seedMessage(endpointId, { status: "delivered", createdAt: at(0) })).id;
      ids.b = (await seedMessage(endpointId, { status: "failed", createdAt: at(1) })).id;
      ids.c = (await seedMessage(endpointId, { status: "failed", eventType: "job.failed", createdAt: at(2) })).id;
      ids.d = (await seedMessage(endpointId, { status: "delivered", eventType: "job.failed", createdAt: at(2) })).id;
      ids.e = (await seedMessage(endpointId, { status: "skipped", createdAt: at(3) })).id;
      const attempts = await db.from("webhook_attempts").insert([
        { message_id: ids.b, org_id: orgId, attempt: 1, started_at: at(1), duration_ms: 120, status_code: 500, response_excerpt: "oops", outcome: "retry" },
        { message_id: ids.b, org_id: orgId, attempt: 2, started_at: at(2), duration_ms: 10_000, error: "timed out after 10 s", outcome: "failed" },
      ]);
      if (attempts.error) throw new Error(attempts.error.message);
    });

    const page = (query: string) => owner.json<{ messages: Message[]; nextCursor: string | null } & ErrorAnswer>(`${base()}/${endpointId}/messages${query}`);

    it("lists messages newest first, a page at a time, without losing one made at the same instant", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const { status, body }: Awaited<ReturnType<typeof page>> = await page(`?limit=2${cursor ? `&before=${cursor}` : ""}`);
        expect([status, body.error]).toEqual([200, undefined]);
        seen.push(...body.messages.map((message) => message.id));
        cursor = body.nextCursor;
      } while (cursor);
      const tied = [ids.c!, ids.d!].sort().reverse();
      expect(seen).toEqual([ids.e, ...tied, ids.b, ids.a]);
    });

    it("filters by status and by event type", async () => {
      expect((await page("?status=failed")).body.messages.map((m) => m.id).sort()).toEqual([ids.b, ids.c].sort());
      expect((await page("?eventType=job.failed")).body.messages.map((m) => m.id).sort()).toEqual([ids.c, ids.d].sort());
      expect((await page("?status=delivered&eventType=job.failed")).body.messages.map((m) => m.id)).toEqual([ids.d]);
      expect((await page("?eventType=webhook.test")).body.messages).toEqual([]);
    });

    it.each([
      ["an unknown status", "?status=lost", "status"],
      ["an unknown event type", "?eventType=job.started", "eventType"],
      ["a made-up cursor", "?before=bm90LWEtY3Vyc29y", "before"],
      ["a limit over 100", "?limit=101", "limit"],
      ["a status given twice", "?status=failed&status=delivered", "status"],
      ["a NUL", "?status=%00", "status"],
      ["an unknown parameter", "?sort=asc", "query"],
    ])("refuses %s with a 400 naming it", async (_, query, field) => {
      const { status, body } = await page(query);
      expect(status).toBe(400);
      expect(body.error.fields?.[field]).toBeDefined();
    });

    it("shows one message with its attempts, and not another endpoint's", async () => {
      const { status, body } = await owner.json<{ message: Message & { payload: unknown }; attempts: Attempt[] }>(`${base()}/${endpointId}/messages/${ids.b}`);
      expect(status).toBe(200);
      expect(body.message).toMatchObject({ id: ids.b, status: "failed", payload: { seeded: true } });
      expect(body.attempts).toEqual([
        { attempt: 1, startedAt: expect.any(String), durationMs: 120, statusCode: 500, responseExcerpt: "oops", error: null, outcome: "retry" },
        { attempt: 2, startedAt: expect.any(String), durationMs: 10_000, statusCode: null, responseExcerpt: null, error: "timed out after 10 s", outcome: "failed" },
      ]);
      const { endpoint: other } = await newEndpoint();
      expect((await owner.json<ErrorAnswer>(`${base()}/${other.id}/messages/${ids.b}`)).status).toBe(404);
    });
  });

  describe("replay", () => {
    it("replays one failed message as a new round under the same webhook-id; audited", async () => {
      const { endpoint } = await newEndpoint();
      const failed = await seedMessage(endpoint.id, { status: "failed" });
      const { status, body } = await owner.json<{ replayed: number }>(`${base()}/${endpoint.id}/replay`, json("POST", { messageId: failed.id }));
      expect(status).toBe(202);
      expect(body).toEqual({ replayed: 1 });
      expect((await db.from("webhook_messages").select("replays").eq("id", failed.id).single()).data).toEqual({ replays: 1 });
      await vi.waitFor(() =>
        expect(deliveryEvents(failed.id)).toEqual([
          expect.objectContaining({ id: webhookDeliveryEventId(failed.id, 1), data: { orgId, endpointId: endpoint.id, messageId: failed.id, round: 1 } }),
        ]),
      );
      expect(await auditOf("webhook.replayed", endpoint.id)).toEqual([
        { action: "webhook.replayed", actor_id: owner.userId, org_id: orgId, details: { endpointId: endpoint.id, messageId: failed.id, count: 1, messageIds: [failed.id] } },
      ]);
    });

    it("refuses a message that hasn't failed (409) or isn't the endpoint's (404), and changes nothing", async () => {
      const { endpoint } = await newEndpoint();
      const delivered = await seedMessage(endpoint.id, { status: "delivered" });
      const { endpoint: other } = await newEndpoint();
      const elsewhere = await seedMessage(other.id, { status: "failed" });
      const before = await webhookState();
      const notFailed = await owner.json<ErrorAnswer>(`${base()}/${endpoint.id}/replay`, json("POST", { messageId: delivered.id }));
      expect(notFailed.status).toBe(409);
      expect(notFailed.body.error.code).toBe("not_replayable");
      for (const messageId of [elsewhere.id, randomUUID()]) {
        const { status } = await owner.json<ErrorAnswer>(`${base()}/${endpoint.id}/replay`, json("POST", { messageId }));
        expect(status).toBe(404);
      }
      for (const input of [{}, { messageId: delivered.id, since: new Date().toISOString() }, { messageId: "m1" }, { since: "yesterday" }, { since: 5 }]) {
        const { status } = await owner.json<ErrorAnswer>(`${base()}/${endpoint.id}/replay`, json("POST", input));
        expect([input, status]).toEqual([input, 400]);
      }
      expect(await webhookState()).toEqual(before);
      expect(deliveryEvents(elsewhere.id)).toEqual([]);
    });

    it("replays every failed or skipped message since a time, and nothing older or delivered", async () => {
      const { endpoint } = await newEndpoint();
      const old = await seedMessage(endpoint.id, { status: "failed", createdAt: "2026-01-01T00:00:00Z" });
      const failed = await seedMessage(endpoint.id, { status: "failed", createdAt: "2026-02-01T00:00:00Z" });
      const skipped = await seedMessage(endpoint.id, { status: "skipped", createdAt: "2026-02-02T00:00:00Z" });
      const delivered = await seedMessage(endpoint.id, { status: "delivered", createdAt: "2026-02-03T00:00:00Z" });
      const since = "2026-01-15T00:00:00Z";
      const { status, body } = await owner.json<{ replayed: number }>(`${base()}/${endpoint.id}/replay`, json("POST", { since }));
      expect(status).toBe(202);
      expect(body).toEqual({ replayed: 2 });
      const { data: rows } = await db.from("webhook_messages").select("id, replays").eq("endpoint_id", endpoint.id).order("created_at");
      expect(rows).toEqual([
        { id: old.id, replays: 0 },
        { id: failed.id, replays: 1 },
        { id: skipped.id, replays: 1 },
        { id: delivered.id, replays: 0 },
      ]);
      await vi.waitFor(() => {
        expect(deliveryEvents(failed.id).map((event) => event.id)).toEqual([webhookDeliveryEventId(failed.id, 1)]);
        expect(deliveryEvents(skipped.id).map((event) => event.id)).toEqual([webhookDeliveryEventId(skipped.id, 1)]);
      });
      expect(deliveryEvents(old.id)).toEqual([]);
      expect(await auditOf("webhook.replayed", endpoint.id)).toEqual([
        expect.objectContaining({
          details: { endpointId: endpoint.id, since, count: 2, messageIds: expect.toSatisfy((ids: string[]) => ids.toSorted().join() === [failed.id, skipped.id].toSorted().join()) },
        }),
      ]);
      // Nothing left to replay: zero, and no event.
      const again = await owner.json<{ replayed: number }>(`${base()}/${endpoint.id}/replay`, json("POST", { since }));
      expect(again.body).toEqual({ replayed: 0 });
    });
  });
});
