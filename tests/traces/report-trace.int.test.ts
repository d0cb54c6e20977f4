import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { ReceivedSpan } from "@/devstack/otel/decode";
import { startTraceReceiver, type TraceReceiver } from "@/devstack/otel/server";
import type { JobStatusView } from "@/lib/jobs/view";
import { jobLogLineSchema, requestLogLineSchema } from "@/lib/observability/log-lines";
import { startAppStack, type AppStack } from "../support/app-stack";
import { freePort } from "../support/free-port";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { sql } from "../support/sql";
import { serviceClient } from "../support/supabase";

/**
 * Tracing end to end: the app exports to a receiver this test runs, and one trace follows a
 * report from the request through the event to each step of its run and the calls it makes.
 */
/** Sent in the event API's path: it must never reach the tracing backend. */
const EVENT_KEY = `test-event-key-${randomUUID()}`;

describe(`a report's trace (${inject("database")})`, () => {
  let receiver: TraceReceiver;
  let stack: AppStack;
  let alice: ApiClient;

  beforeAll(async () => {
    receiver = await startTraceReceiver({ port: await freePort() });
    stack = await startAppStack({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "100", LOG_LEVEL: "info", LOG_FORMAT: "json", INNGEST_EVENT_KEY: EVENT_KEY } });
    alice = await signUpThroughApp(stack.app.url, "Alice");
    const { data } = await serviceClient().from("memberships").select("org_id").eq("user_id", alice.userId).single();
    await sql("select public.generate_activity($1, $2, $3, $4)", [data!.org_id, 200, "2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z"]);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it("runs from POST /api/reports through the event to every step and its calls", async () => {
    const requested = await alice.json<{ jobId: string }>("/api/reports", {
      method: "POST",
      headers: { "Idempotency-Key": randomUUID() },
      body: JSON.stringify({ kind: "activity", from: "2026-10-01", to: "2026-10-04", notifyByEmail: true }),
    });
    expect(requested.status).toBe(202);
    const { jobId } = requested.body;
    await vi.waitFor(
      async () => {
        const { body } = await alice.json<JobStatusView>(`/api/jobs/${jobId}`);
        if (body.status !== "completed") throw new Error(`job is ${body.status}`);
      },
      { timeout: 60_000, interval: 100 },
    );

    // Each process exports on its own schedule: wait until the run's last step has arrived.
    const steps = ["prepare", "read-2026-10-01", "read-2026-10-02", "read-2026-10-03", "read-2026-10-04", "finalize", "notify"];
    const spans = await vi.waitFor(
      () => {
        const traces = receiver.store.list().map((summary) => receiver.store.get(summary.traceId));
        const trace = traces.find((t) => t?.spans.some((span) => span.name === "POST /api/reports" && span.kind === "server"));
        if (!trace) throw new Error("no trace of POST /api/reports yet");
        const missing = steps.filter((step) => !trace.spans.some((span) => span.name === `step ${step}`));
        if (missing.length > 0) throw new Error(`no spans yet for steps ${missing.join(", ")}`);
        return trace.spans;
      },
      { timeout: 20_000, interval: 100 },
    );
    const tree = dump(spans);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const named = (name: string) => spans.filter((span) => span.name === name);
    const only = (name: string) => {
      const found = named(name);
      expect(found, `one span named ${name} in\n${tree}`).toHaveLength(1);
      return found[0]!;
    };
    const ancestors = (span: ReceivedSpan) => {
      const chain: string[] = [];
      for (let at = span.parentSpanId; at; at = byId.get(at)?.parentSpanId) chain.push(at);
      return chain;
    };
    /** HTTP calls made under `span`: undici's client spans, directly or inside Next's own fetch span. */
    const callsUnder = (span: ReceivedSpan) =>
      spans.filter((call) => {
        if (call.kind !== "client" || typeof call.attributes["url.full"] !== "string") return false;
        const parent = call.parentSpanId ? byId.get(call.parentSpanId) : undefined;
        return call.parentSpanId === span.spanId || (parent?.name.startsWith("fetch ") && parent.parentSpanId === span.spanId);
      });
    const hostOf = (call: ReceivedSpan) => `${String(call.attributes["server.address"])}:${String(call.attributes["server.port"])}`;
    const supabase = new URL(inject("supabaseUrl")).host;
    const resend = new URL(stack.mail.url).host;
    const inngest = new URL(stack.executor.url).host;

    // One trace, rooted at the request.
    const request = only("POST /api/reports");
    expect(request.kind).toBe("server");
    expect(request.parentSpanId).toBeUndefined();
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([request.traceId]));

    // The route handler sends the event from a producer span; the event API call is inside it.
    const send = only("inngest.send app/report.requested");
    expect(send.kind).toBe("producer");
    expect(ancestors(send)).toContain(request.spanId);
    expect(callsUnder(send).map((call) => `${hostOf(call)} ${String(call.attributes["url.path"])}`)).toEqual([`${inngest} /e/[REDACTED]`]);
    // The event carries the send span's context in its data: what the run continues.
    const event = stack.executor.store.events.find((e) => e.name === "app/report.requested" && e.data.jobId === jobId);
    expect(event?.data.traceparent).toBe(`00-${request.traceId}-${send.spanId}-01`);

    // Every request of the run continues the event's context, under the send.
    const runs = named("inngest.run generate-report");
    expect(runs.length, tree).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run).toMatchObject({ kind: "consumer", parentSpanId: send.spanId, attributes: { "inngest.function.id": "generate-report" } });
    }
    const runIds = new Set(runs.map((run) => run.spanId));
    const executions = named("inngest.execution");
    for (const execution of executions) expect(runIds.has(execution.parentSpanId ?? ""), tree).toBe(true);
    const executionIds = new Set(executions.map((execution) => execution.spanId));

    // Each step once, inside the SDK's execution span, with its own Supabase calls under it.
    for (const step of steps) {
      const span = only(`step ${step}`);
      expect(executionIds.has(span.parentSpanId ?? ""), `step ${step}'s parent in\n${tree}`).toBe(true);
      expect(span.attributes["inngest.step.id"]).toBe(step);
      expect(callsUnder(span).filter((call) => hostOf(call) === supabase).length, `step ${step}'s Supabase calls in\n${tree}`).toBeGreaterThan(0);
    }
    expect(callsUnder(only("step finalize")).map((call) => call.attributes["url.path"])).toContain("/rest/v1/reports");
    // The "email me" step's call to Resend.
    expect(callsUnder(only("step notify")).filter((call) => hostOf(call) === resend).map((call) => call.attributes["url.path"])).toEqual(["/emails"]);

    // No span says the event key, or a query value (PostgREST filters carry ids and addresses).
    const attributeValues = spans.flatMap((span) => Object.values(span.attributes).map(String));
    expect(attributeValues.filter((value) => value.includes(EVENT_KEY))).toEqual([]);
    const queries = spans.flatMap((span) => (typeof span.attributes["url.query"] === "string" ? [span.attributes["url.query"]] : []));
    expect(queries.some((query) => query.includes("select="))).toBe(true);
    for (const query of queries) expect(query).toMatch(/^(\?[^=&]+=\[REDACTED\](&[^=&]+=\[REDACTED\])*)?$/);
    expect(attributeValues.filter((value) => value.includes(jobId))).toEqual([]);

    // The app's log lines name the same trace, so a line leads to its waterfall and back.
    const lines = stack.app.logs().flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
    const jobLines = lines.flatMap((line) => {
      const parsed = jobLogLineSchema.safeParse(line);
      return parsed.success && parsed.data.jobId === jobId ? [parsed.data] : [];
    });
    expect(jobLines.map((line) => [line.event, line.traceId])).toEqual(
      ["job.queued", "job.started", "job.completed"].map((event) => [event, request.traceId]),
    );
    const posted = lines.flatMap((line) => {
      const parsed = requestLogLineSchema.safeParse(line);
      return parsed.success && parsed.data.method === "POST" && parsed.data.route === "/api/reports" ? [parsed.data] : [];
    });
    expect(posted.map((line) => line.traceId)).toEqual([request.traceId]);
  });

  it("keeps the trace context out of the job a run's mirror creates", async () => {
    // The sign-up's event started the welcome email's run, which created its job from the event's data.
    const event = stack.executor.store.events.find((e) => e.name === "app/user.signed_up" && e.data.userId === alice.userId);
    expect(event?.data.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const job = await vi.waitFor(
      async () => {
        const { data } = await serviceClient().from("jobs").select("payload").eq("user_id", alice.userId).eq("type", "welcome-email").single();
        if (!data) throw new Error("no welcome-email job yet");
        return data;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(job.payload).toMatchObject({ userId: alice.userId });
    expect(job.payload).not.toHaveProperty("traceparent");
    expect(job.payload).not.toHaveProperty("tracestate");
  });
});

/** The trace as an indented tree, for failure messages. */
function dump(spans: ReceivedSpan[]) {
  const ids = new Set(spans.map((s) => s.spanId));
  const lines: string[] = [];
  const visit = (span: ReceivedSpan, depth: number) => {
    lines.push(`${"  ".repeat(depth)}${span.name} [${span.kind}] ${span.spanId}`);
    for (const child of spans.filter((s) => s.parentSpanId === span.spanId)) visit(child, depth + 1);
  };
  for (const root of spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId))) visit(root, 0);
  return lines.join("\n");
}
