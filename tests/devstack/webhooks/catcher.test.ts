import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_MESSAGES } from "@/devstack/webhooks/store";
import { startWebhookCatcher, type WebhookCatcher } from "@/devstack/webhooks/server";
import { freePort } from "../../support/free-port";

let catcher: WebhookCatcher;

beforeAll(async () => {
  catcher = await startWebhookCatcher({ port: await freePort() });
});

afterAll(async () => {
  await catcher.close();
});

beforeEach(async () => {
  await fetch(`${catcher.url}/api/messages`, { method: "DELETE" });
});

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

const apiMessagesSchema = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      path: z.string(),
      receivedAt: z.string(),
      headers: z.record(z.string(), z.string()),
      body: z.string(),
      responseStatus: z.number(),
      signature: z.enum(["verified", "mismatch", "no-secret"]),
      timestamp: z.object({ status: z.string(), skewSeconds: z.number().optional() }),
    }),
  ),
});

async function messages(pathFilter?: string) {
  const query = pathFilter === undefined ? "" : `?path=${encodeURIComponent(pathFilter)}`;
  const response = await fetch(`${catcher.url}/api/messages${query}`);
  expect(response.status).toBe(200);
  return apiMessagesSchema.parse(await response.json()).messages;
}

const putSecret = (endpointPath: string, secret: string | null) =>
  fetch(`${catcher.url}/api/secrets`, { method: "PUT", body: JSON.stringify({ path: endpointPath, secret }) });

/** A delivery as the contract describes it: Standard Webhooks headers signed by the package. */
function signedDelivery(secrets: string[], options: { body?: string; id?: string; at?: Date } = {}) {
  const id = options.id ?? `msg_${randomBytes(16).toString("hex")}`;
  const at = options.at ?? new Date();
  const body = options.body ?? JSON.stringify({ type: "job.completed", timestamp: at.toISOString(), data: { job: { id: "j1" } } });
  return {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "Offload-Webhooks/1",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(" "),
    },
  } satisfies RequestInit;
}

describe("catching", () => {
  it("stores any POST with its method, path, query, headers and raw body, and answers 200 {ok:true}", async () => {
    const raw = '{ "type": "job.failed",  "data": {} }';
    const response = await fetch(`${catcher.url}/hooks/orders?source=test`, {
      method: "POST",
      body: raw,
      headers: { "content-type": "application/json", "x-custom": "yes" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });

    const [message, ...others] = await messages();
    expect(others).toHaveLength(0);
    expect(message).toMatchObject({ path: "/hooks/orders", body: raw, responseStatus: 200, signature: "no-secret" });
    expect(message?.headers).toMatchObject({ "content-type": "application/json", "x-custom": "yes" });
    expect(Date.parse(message?.receivedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(catcher.store.get(message?.id ?? "")).toMatchObject({ method: "POST", query: "?source=test" });
  });

  it("lists newest first and filters by exact path", async () => {
    await fetch(`${catcher.url}/a`, { method: "POST", body: "1" });
    await fetch(`${catcher.url}/b`, { method: "POST", body: "2" });
    await fetch(`${catcher.url}/a`, { method: "POST", body: "3" });
    expect((await messages()).map((message) => message.body)).toEqual(["3", "2", "1"]);
    expect((await messages("/a")).map((message) => message.body)).toEqual(["3", "1"]);
    expect(await messages("/a/b")).toEqual([]);
  });

  it("answers the status ?status= asks for, and says so in the message", async () => {
    const failed = await fetch(`${catcher.url}/flaky?status=503`, { method: "POST", body: "{}" });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ ok: false, status: 503 });
    const gone = await fetch(`${catcher.url}/flaky?status=410`, { method: "POST", body: "{}" });
    expect(gone.status).toBe(410);
    expect((await messages("/flaky")).map((message) => message.responseStatus)).toEqual([410, 503]);
  });

  it("refuses a status it can't answer with 400, and still keeps the request", async () => {
    const response = await fetch(`${catcher.url}/odd?status=99`, { method: "POST", body: "{}" });
    expect(response.status).toBe(400);
    expect(await messages("/odd")).toHaveLength(1);
  });

  it("waits ?delay= milliseconds before answering, with the message already listed", async () => {
    const started = Date.now();
    const answer = fetch(`${catcher.url}/slow?delay=400&status=202`, { method: "POST", body: "{}" });
    await expect.poll(async () => (await messages("/slow")).length).toBe(1);
    const response = await answer;
    expect(response.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it("keeps the latest messages only", async () => {
    for (let batch = 0; batch < MAX_MESSAGES + 5; batch += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, MAX_MESSAGES + 5 - batch) }, (_, index) =>
          fetch(`${catcher.url}/many`, { method: "POST", body: String(batch + index) }),
        ),
      );
    }
    const kept = await messages();
    expect(kept).toHaveLength(MAX_MESSAGES);
    expect(kept.map((message) => Number(message.body))).not.toContain(0);
  });

  it("doesn't catch other methods, and answers 404 for pages that don't exist", async () => {
    expect((await fetch(`${catcher.url}/hook`, { method: "PUT", body: "{}" })).status).toBe(404);
    expect((await fetch(`${catcher.url}/messages/nope`)).status).toBe(404);
    expect(await messages()).toEqual([]);
  });
});

describe("signatures", () => {
  it("says no-secret until a secret is set for the path, then verified, for a message that arrived before", async () => {
    const secret = newSecret();
    await fetch(`${catcher.url}/signed`, signedDelivery([secret]));
    expect((await messages("/signed"))[0]?.signature).toBe("no-secret");

    expect((await putSecret("/signed", secret)).status).toBe(200);
    const [message] = await messages("/signed");
    expect(message?.signature).toBe("verified");
    expect(message?.timestamp.status).toBe("ok");
  });

  it("verifies when any of the listed signatures matches (a rotated secret's overlap)", async () => {
    const previous = newSecret();
    const current = newSecret();
    await fetch(`${catcher.url}/rotated`, signedDelivery([current, previous]));
    await putSecret("/rotated", previous);
    expect((await messages("/rotated"))[0]?.signature).toBe("verified");
    await putSecret("/rotated", current);
    expect((await messages("/rotated"))[0]?.signature).toBe("verified");
  });

  it("says mismatch for another secret, a body changed on the way, or no signature headers", async () => {
    const secret = newSecret();
    await putSecret("/checked", secret);
    await fetch(`${catcher.url}/checked?n=1`, signedDelivery([newSecret()]));
    const tampered = signedDelivery([secret]);
    await fetch(`${catcher.url}/checked?n=2`, { ...tampered, body: tampered.body.replace("j1", "j2") });
    await fetch(`${catcher.url}/checked?n=3`, { method: "POST", body: "{}" });
    expect((await messages("/checked")).map((message) => message.signature)).toEqual(["mismatch", "mismatch", "mismatch"]);
  });

  it("judges the timestamp against the message's arrival, so an old message stays verified", async () => {
    const secret = newSecret();
    await putSecret("/late", secret);
    await fetch(`${catcher.url}/late`, signedDelivery([secret], { at: new Date(Date.now() - 10 * 60_000) }));
    const [message] = await messages("/late");
    expect(message?.signature).toBe("verified");
    expect(message?.timestamp.status).toBe("too-old");
    expect(message?.timestamp.skewSeconds).toBeGreaterThanOrEqual(600);
  });

  it("forgets a secret set to null, and refuses one that isn't whsec_<base64>", async () => {
    const secret = newSecret();
    await fetch(`${catcher.url}/forget`, signedDelivery([secret]));
    await putSecret("/forget", secret);
    expect((await messages("/forget"))[0]?.signature).toBe("verified");
    await putSecret("/forget", null);
    expect((await messages("/forget"))[0]?.signature).toBe("no-secret");
    expect((await putSecret("/forget", "not-a-secret")).status).toBe(400);
    expect((await putSecret("forget", secret)).status).toBe(400);
  });
});

describe("pages", () => {
  it("saves a secret from the form (a whole URL pasted as the path) and shows the result in the list", async () => {
    const secret = newSecret();
    await fetch(`${catcher.url}/from-form`, signedDelivery([secret]));
    const before = await (await fetch(catcher.url)).text();
    expect(before).toContain("no secret set for this path");

    const saved = await fetch(`${catcher.url}/secrets`, {
      method: "POST",
      body: new URLSearchParams({ path: `${catcher.url}/from-form`, secret }),
      redirect: "manual",
    });
    expect(saved.status).toBe(303);
    const after = await (await fetch(catcher.url)).text();
    expect(after).toContain(">verified<");
    expect(after).toContain("job.completed");
  });

  it("refuses the forms from another site", async () => {
    const response = await fetch(`${catcher.url}/secrets`, {
      method: "POST",
      body: new URLSearchParams({ path: "/x", secret: newSecret() }),
      headers: { "sec-fetch-site": "cross-site" },
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    const cleared = await fetch(`${catcher.url}/messages/delete-all`, { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
    expect(cleared.status).toBe(403);
  });

  it("escapes what senders control: body, event type, headers and path", async () => {
    const hostile = "<script>alert(1)</script>";
    await fetch(`${catcher.url}/it's&"x"`, {
      method: "POST",
      body: JSON.stringify({ type: `<img src=x onerror=alert(1)>`, data: hostile }),
      headers: { "webhook-id": hostile, "x-evil": `"><b>bold</b>` },
    });
    const list = await (await fetch(catcher.url)).text();
    expect(list).not.toContain("<script>alert");
    expect(list).not.toContain("<img");
    expect(list).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(list).toContain("/it&#39;s&amp;");

    const [message] = await messages();
    const detail = await fetch(`${catcher.url}/messages/${message?.id ?? ""}`);
    expect(detail.status).toBe(200);
    expect(detail.headers.get("content-security-policy")).toContain("script-src 'self'");
    const text = await detail.text();
    expect(text).not.toContain("<script>alert");
    expect(text).not.toContain("<b>bold</b>");
    expect(text).toContain("&lt;b&gt;bold&lt;/b&gt;");
  });

  it("shows one message's headers and pretty-printed body", async () => {
    await fetch(`${catcher.url}/pretty`, { method: "POST", body: '{"type":"report.ready","data":{"report":{"id":"r1"}}}', headers: { "x-trace": "t-1" } });
    const [message] = await messages();
    const text = await (await fetch(`${catcher.url}/messages/${message?.id ?? ""}`)).text();
    expect(text).toContain('{\n  &quot;type&quot;: &quot;report.ready&quot;,\n  &quot;data&quot;: {');
    expect(text).toMatch(/<th scope="row">x-trace<\/th><td>t-1<\/td>/);
    expect(text).toContain("<h1>report.ready to <code>/pretty</code></h1>");
  });
});

describe("live refresh", () => {
  it("streams a change event for every catch and secret, and the list page loads the inbox's script", async () => {
    const controller = new AbortController();
    const response = await fetch(`${catcher.url}/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    if (!response.body) throw new Error("the event stream has no body");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const nextEvent = async () => {
      for (;;) {
        const { value = "", done } = await reader.read();
        if (done) throw new Error("the event stream ended");
        const event = /^event: (\w+)$/m.exec(value)?.[1];
        if (event) return event;
      }
    };
    try {
      await fetch(`${catcher.url}/live`, { method: "POST", body: "{}" });
      expect(await nextEvent()).toBe("change");
      await putSecret("/live", newSecret());
      expect(await nextEvent()).toBe("change");
    } finally {
      controller.abort();
    }
    const script = await fetch(`${catcher.url}/catcher.js`);
    expect(await script.text()).toContain("new EventSource(changes)");
    expect(await (await fetch(catcher.url)).text()).toContain('<script src="/catcher.js" data-changes="/events" defer>');
  });

  it("empties the list from its Delete all form", async () => {
    await fetch(`${catcher.url}/gone`, { method: "POST", body: "{}" });
    const response = await fetch(`${catcher.url}/messages/delete-all`, { method: "POST", redirect: "manual" });
    expect(response.status).toBe(303);
    expect(await messages()).toEqual([]);
  });
});

describe("persistence", () => {
  it("keeps messages and secrets in dataDir across restarts", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "catcher-"));
    try {
      const port = await freePort();
      const first = await startWebhookCatcher({ port, dataDir });
      const secret = newSecret();
      await fetch(`${first.url}/kept`, signedDelivery([secret]));
      await first.store.setSecret("/kept", secret);
      await first.close();

      const second = await startWebhookCatcher({ port, dataDir });
      try {
        const response = await fetch(`${second.url}/api/messages`);
        const [message, ...others] = apiMessagesSchema.parse(await response.json()).messages;
        expect(others).toHaveLength(0);
        expect(message).toMatchObject({ path: "/kept", signature: "verified" });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
