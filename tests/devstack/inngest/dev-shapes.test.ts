/**
 * The shapes and messages that SDK tooling and users' tests read, as the official dev
 * server answers them: `GET /dev` (its `InfoResponse`), the REST API's envelope and
 * errors, the event API's errors, and a `step.invoke` of a function nobody synced.
 */
import { createHash } from "node:crypto";
import { referenceFunction } from "inngest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** RFC 4122 name-based UUID (version 5, SHA-1) in the OID namespace, as Inngest names synced functions. */
function sha1Uuid(name: string): string {
  const namespace = Buffer.from("6ba7b8129dad11d180b400c04fd430c8", "hex");
  const bytes = createHash("sha1").update(Buffer.concat([namespace, Buffer.from(name)])).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type DevFunction = {
  id: string;
  fv: number;
  name: string;
  slug: string;
  triggers: unknown[];
  steps: { id: string; name: string; uri: string; retries?: number }[];
  concurrency?: unknown;
  rateLimit?: unknown;
};
type Dev = {
  version: string;
  authed: boolean;
  startOpts: { urls: string[]; autodiscover: boolean };
  functions: DevFunction[];
  handlers: { functionIDs: string[]; sdk: { url: string; appName: string } }[];
  features: Record<string, boolean>;
};

const getDev = async (h: Harness) => (await (await fetch(`${h.executor.url}/dev`)).json()) as Dev;
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as unknown });

describe("inngest executor: GET /dev in the official dev server's shape", () => {
  it("lists synced functions as Inngest stores them: steps as {id, name, uri}, a UUID id, the slug", async () => {
    h = await createHarness();
    const welcome = h.inngest.createFunction(
      { id: "welcome", name: "Welcome email", retries: 2, concurrency: 5, idempotency: "event.data.userId", triggers: { event: "test/welcome" } },
      async () => "ok",
    );
    const daily = h.inngest.createFunction({ id: "daily", triggers: { cron: "0 9 * * *" } }, async () => "ok");
    await h.serve([welcome, daily]);
    const dev = await getDev(h);

    expect(Object.keys(dev).sort()).toEqual(
      ["authed", "features", "functions", "handlers", "isMissingEventKeys", "isMissingSigningKey", "isSingleNodeService", "startOpts", "version"].sort(),
    );
    expect(dev.authed).toBe(false);
    expect(dev.startOpts).toMatchObject({ urls: [h.appUrl], autodiscover: false });

    const fn = dev.functions.find((f) => f.slug === "offload-test-welcome")!;
    const uri = `${h.appUrl}?fnId=offload-test-welcome&stepId=step`;
    expect(fn).toEqual({
      id: sha1Uuid(`Welcome email${uri}`),
      fv: 1,
      name: "Welcome email",
      slug: "offload-test-welcome",
      triggers: [{ event: "test/welcome" }],
      steps: [{ id: "step", name: "step", uri, retries: 2 }],
      concurrency: [{ limit: 5, scope: "fn" }],
      // Inngest turns an idempotency key into a rate limit of one per 24 hours.
      rateLimit: { limit: 1, period: "24h0m0s", key: "event.data.userId" },
    });
    const cron = dev.functions.find((f) => f.slug === "offload-test-daily")!;
    expect(cron.triggers).toEqual([{ cron: "0 9 * * *" }]);
    expect(cron.steps).toHaveLength(1);
    expect(cron.steps[0]).not.toHaveProperty("runtime");

    expect(dev.handlers).toEqual([
      expect.objectContaining({
        functionIDs: expect.arrayContaining(["offload-test-welcome", "offload-test-daily"]),
        sdk: expect.objectContaining({ url: h.appUrl, appName: "offload-test" }),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
  });

  it("bumps a function's fv when a sync brings a changed config, and only then", async () => {
    h = await createHarness();
    const v1 = h.inngest.createFunction({ id: "edited", triggers: { event: "test/a" } }, async () => 1);
    await h.serve([v1]);
    await h.executor.sync();
    expect((await getDev(h)).functions[0]!.fv).toBe(1);

    await h.stopApp();
    const v2 = h.inngest.createFunction({ id: "edited", triggers: { event: "test/b" } }, async () => 2);
    await h.startAppOnly([v2]);
    // A sync already under way may have met the stopped app: sync until the new config is in.
    await vi.waitFor(
      async () => {
        await h!.executor.sync().catch(() => undefined);
        expect(h!.executor.registry.functions.get("offload-test-edited")?.eventTriggers[0]?.event).toBe("test/b");
      },
      { timeout: 10_000, interval: 20 },
    );
    const fn = (await getDev(h)).functions[0]!;
    expect(fn.fv).toBe(2);
    expect(fn.triggers).toEqual([{ event: "test/b" }]);
  });
});

describe("inngest executor: errors in Inngest's words", () => {
  it("fails a step.invoke of a function nobody synced with Inngest's message", async () => {
    h = await createHarness();
    const missing = referenceFunction({ functionId: "missing" });
    const caller = h.inngest.createFunction({ id: "caller", triggers: { event: "test/call-missing" } }, async ({ step }) => {
      return step.invoke("call-it", { function: missing, data: {} }).catch((error: Error) => error.message);
    });
    await h.serve([caller]);
    const run = await h.finished(await h.send("test/call-missing"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBe("could not find function with ID: offload-test-missing");
  });

  it("answers an unknown function, a malformed run id and an unknown run as the REST API does", async () => {
    h = await createHarness();
    await h.serve([]);
    const base = h.executor.url;

    expect(await json(await fetch(`${base}/v1/functions/offload-test-nope/invoke`, { method: "POST", body: "{}" }))).toEqual({
      status: 404,
      body: { error: "could not find function with ID: offload-test-nope", data: null, status: 404 },
    });
    expect(await json(await fetch(`${base}/v1/runs/not-a-run`))).toEqual({
      status: 400,
      body: { error: "Invalid run ID: not-a-run", data: null, status: 400 },
    });
    const unknown = "01JZZZZZZZZZZZZZZZZZZZZZZZ";
    const notFound = { status: 404, body: { error: `Unable to load function run: ${unknown}`, data: null, status: 404 } };
    expect(await json(await fetch(`${base}/v1/runs/${unknown}`))).toEqual(notFound);
    expect(await json(await fetch(`${base}/v1/runs/${unknown}`, { method: "DELETE" }))).toEqual(notFound);
    expect(await json(await fetch(`${base}/v1/runs/${unknown}/cancel`, { method: "POST" }))).toEqual(notFound);
  });

  it.each([
    ["not JSON", "{oops", "Request body must contain an event object or an array of event objects"],
    ["a bare string", '"hello"', "Request body must contain an event object or an array of event objects"],
    ["an array holding a number", "[1]", "Request body must contain an event object or an array of event objects"],
    ["an event without a name", '{"data": {}}', "event name is empty"],
    ["an event with an empty name", '[{"name": "ok/one"}, {"name": ""}]', "event name is empty"],
    ["a reserved name", '{"name": "inngest/function.finished"}', "event name is reserved for internal use: inngest/function.finished"],
  ])("refuses %s at POST /e/:key with the event API's message", async (_, body, error) => {
    h = await createHarness();
    await h.serve([]);
    const response = await fetch(`${h.executor.url}/e/any-key`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(await json(response)).toEqual({ status: 400, body: { ids: [], status: 400, error } });
    expect(h.executor.store.events).toHaveLength(0);
  });

  it("lists an event's runs in the REST API's envelope, times in RFC 3339", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction({ id: "listed", triggers: { event: "test/listed" } }, async () => ({ ok: true }));
    await h.serve([fn]);
    const eventId = await h.send("test/listed");
    const run = await h.finished(eventId);

    const response = await json(await fetch(`${h.executor.url}/v1/events/${eventId}/runs`));
    expect(response).toEqual({
      status: 200,
      body: {
        data: [
          expect.objectContaining({
            run_id: run.id,
            event_id: eventId,
            function_id: "offload-test-listed",
            status: "Completed",
            run_started_at: new Date(run.startedAt!).toISOString(),
            ended_at: new Date(run.endedAt!).toISOString(),
            output: { ok: true },
          }),
        ],
        metadata: { fetched_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      },
    });
  });
});
