import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { z } from "zod";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { createTeamOrg, serviceClient } from "../support/supabase";
import { startReceiver, type Receiver } from "../support/webhook-receiver";

type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string> } };
type Started = { jobId: string; statusUrl: string; callback?: { url: string; secret?: string; deliveriesUrl: string } };
type Deliveries = {
  url: string;
  messages: { message: { webhookId: string; eventType: string; status: string; attempts: number }; attempts: { attempt: number; statusCode: number | null; outcome: string }[] }[];
};

const bodySchema = z.object({
  type: z.string(),
  timestamp: z.iso.datetime({ offset: true }),
  data: z.object({ job: z.object({ id: z.string(), status: z.string() }), report: z.object({ id: z.string(), url: z.string() }).optional() }).loose(),
});

const range = { kind: "summary", from: "2026-10-01", to: "2026-10-02" } as const;

/**
 * "Notify me at this URL": POST /api/reports with a `callbackUrl`, through the real app and
 * the executor, to a local receiver. The report's end arrives there signed with
 * the secret the 202 answered (verified with the `standardwebhooks` package, as a receiver
 * would), its deliveries are the asker's to read, and a URL that may not receive webhooks
 * is refused before anything is written.
 */
describe(`a report's callbackUrl (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let receiver: Receiver;
  let asker: ApiClient;
  let teammate: ApiClient;
  let teamId: string;

  const request = (by: ApiClient, body: unknown, key: string = randomUUID()) =>
    by.json<Started & ErrorAnswer>("/api/reports", { method: "POST", headers: { "Idempotency-Key": key }, body: JSON.stringify(body) });
  /** What a refused request must leave as it was. */
  const written = async (orgId: string) => ({
    jobs: (await db.from("jobs").select("id", { count: "exact", head: true }).eq("org_id", orgId)).count,
    endpoints: (await db.from("webhook_endpoints").select("id", { count: "exact", head: true }).eq("org_id", orgId)).count,
  });

  beforeAll(async () => {
    [stack, receiver] = await Promise.all([startAppStack({ env: { WEBHOOKS_ALLOW_LOOPBACK: "true" } }), startReceiver()]);
    [asker, teammate] = await Promise.all([signUpThroughApp(stack.app.url, "Asker"), signUpThroughApp(stack.app.url, "Teammate")]);
    teamId = await createTeamOrg([
      { userId: asker.userId, role: "member" },
      { userId: teammate.userId, role: "owner" },
    ]);
    for (const user of [asker, teammate]) {
      const { error } = await db.from("current_organisations").upsert({ user_id: user.userId, org_id: teamId }, { onConflict: "user_id" });
      if (error) throw new Error(error.message);
    }
  }, 240_000);

  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  it("sends the report's end there, signed with the secret the 202 answered, and the asker reads how it went", async () => {
    const hook = receiver.path();
    const key = randomUUID();
    const started = await request(asker, { ...range, callbackUrl: hook.url }, key);
    expect(started.status).toBe(202);
    const { jobId, callback } = started.body;
    expect(callback).toEqual({ url: hook.url, secret: expect.stringMatching(/^whsec_/), deliveriesUrl: `/api/reports/${jobId}/callback` });
    const secret = callback!.secret!;

    await vi.waitFor(() => expect(hook.arrivals()).toHaveLength(1), { timeout: 60_000, interval: 200 });
    const [arrival] = hook.arrivals();
    const body = bodySchema.parse(new Webhook(secret).verify(arrival!.body, arrival!.headers));
    expect(body).toMatchObject({
      type: "report.ready",
      data: { organisationId: teamId, job: { id: jobId, status: "completed" }, report: { id: jobId, url: expect.stringMatching(new RegExp(`/dashboard/reports/${jobId}$`)) } },
    });

    await vi.waitFor(
      async () => {
        const deliveries = await asker.json<Deliveries>(callback!.deliveriesUrl);
        expect(deliveries.status).toBe(200);
        expect(deliveries.body).toEqual({
          url: hook.url,
          messages: [
            {
              message: expect.objectContaining({ webhookId: arrival!.headers["webhook-id"], eventType: "report.ready", status: "delivered", attempts: 1 }),
              attempts: [expect.objectContaining({ attempt: 1, statusCode: 200, outcome: "delivered" })],
            },
          ],
        });
      },
      { timeout: 20_000, interval: 200 },
    );

    // The same request again is the same job, with the same secret: nothing new is made or sent.
    const repeated = await request(asker, { ...range, callbackUrl: hook.url }, key);
    expect(repeated.status).toBe(202);
    expect(repeated.body).toEqual(started.body);
    expect(hook.arrivals()).toHaveLength(1);
    // The same key with another callback is another request.
    const other = await request(asker, { ...range, callbackUrl: receiver.path().url }, key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_key_reused");
  }, 120_000);

  it("is the asker's: not one of the team's endpoints, and a 404 to their teammates", async () => {
    const hook = receiver.path();
    const started = await request(asker, { ...range, callbackUrl: hook.url });
    expect(started.status).toBe(202);
    const { jobId } = started.body;

    // The team's owner sees the job, but neither the callback nor its deliveries.
    expect((await teammate.json(`/api/jobs/${jobId}`)).status).toBe(200);
    const deliveries = await teammate.json<ErrorAnswer>(`/api/reports/${jobId}/callback`);
    expect(deliveries.status).toBe(404);
    expect(deliveries.body.error.code).toBe("not_found");
    const endpoints = await teammate.json<{ endpoints: { url: string }[] }>(`/api/organisations/${teamId}/webhooks`);
    expect(endpoints.status).toBe(200);
    expect(endpoints.body.endpoints.map((endpoint) => endpoint.url)).not.toContain(hook.url);
    // Nor does the job's status show the URL to anyone.
    expect(JSON.stringify((await asker.json(`/api/jobs/${jobId}`)).body)).not.toContain(hook.url);

    // A report asked for without one has none, for its asker too.
    const plain = await request(asker, range);
    expect(plain.status).toBe(202);
    expect(plain.body.callback).toBeUndefined();
    expect((await asker.json(`/api/reports/${plain.body.jobId}/callback`)).status).toBe(404);
    expect((await asker.json(`/api/reports/${randomUUID()}/callback`)).status).toBe(404);
  }, 60_000);

  it("refuses a callbackUrl that may not receive webhooks, or isn't a URL, and writes nothing", async () => {
    const before = await written(teamId);
    for (const url of ["https://10.1.2.3/hooks", "https://169.254.169.254/latest/meta-data", "http://hooks.example.com/in", "https://[::ffff:192.168.0.1]/x"]) {
      const refused = await request(asker, { ...range, callbackUrl: url });
      expect(refused.status, url).toBe(422);
      expect(refused.body.error, url).toMatchObject({ code: "unsafe_url", fields: { callbackUrl: expect.stringMatching(/^Use another URL: /) } });
    }
    for (const callbackUrl of ["ftp://hooks.example.com/in", "https://user:secret@hooks.example.com/in", "https://hooks.example.com/#x", "not a url", 42, null, ""]) {
      const refused = await request(asker, { ...range, callbackUrl });
      expect(refused.status, JSON.stringify(callbackUrl)).toBe(400);
      expect(Object.keys(refused.body.error.fields ?? {}), JSON.stringify(callbackUrl)).toEqual(["callbackUrl"]);
    }
    expect(await written(teamId)).toEqual(before);
  }, 60_000);
});
