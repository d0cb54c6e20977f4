/**
 * HTTP surface: what the SDK calls (event API, out-of-band register), `GET /dev`, a JSON
 * API for tests and scripts, and the runs page with its form actions.
 */
import { readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { CronScheduler } from "./cron";
import { scheduledEvent } from "./cron";
import { normalizeEvent } from "./events";
import type { Executor } from "./executor";
import { INTERNAL_EVENTS, incomingEventSchema, registerRequestSchema, type EventPayload } from "./protocol";
import type { FunctionDef, Registry } from "./registry";
import { rerunFromStep } from "./rerun";
import { filterRuns, parseTime } from "./run-query";
import { TERMINAL, type Run, type Store } from "./store";
import { eventsPage, functionsPage, runPage, runsPage, type RunsPageQuery, type UiContext } from "./ui";

export type Services = { store: Store; registry: Registry; executor: Executor; cron: CronScheduler };

const VERSION = "devstack-0.1";

/** The runs page's live updates (a browser script, so it is a file of its own). */
const runsScript = readFileSync(new URL("./runs.js", import.meta.url), "utf8");
/** Change notices are coalesced: a busy run changes hundreds of times a second. */
const CHANGE_NOTICE_MS = 250;

export function createRoutes(services: Services): Hono {
  const { store, registry, executor, cron } = services;
  const ui: UiContext = { store, registry, nextCronRun: (id) => cron.nextRun(id) };
  const app = new Hono();

  // ------------------------------------------------------------ what the SDK calls

  app.post("/e/:key", async (c) => {
    const parsed = z.union([incomingEventSchema, incomingEventSchema.array()]).safeParse(await readJson(c));
    // The SDK only checks `status` in the body, so errors say so there too.
    if (!parsed.success) return c.json({ ids: [], status: 400, error: parsed.error.message }, 400);
    const ids = executor.send([parsed.data].flat());
    return c.json({ ids, status: 200 });
  });

  app.post("/fn/register", async (c) => {
    const parsed = registerRequestSchema.safeParse(await readJson(c));
    if (!parsed.success) return c.json({ ok: false, status: 400, error: parsed.error.message }, 400);
    const body = parsed.data;
    registry.register({ appId: body.appName, url: body.url, functions: body.functions, framework: body.framework, sdk: body.sdk });
    return c.json({ ok: true, modified: true });
  });

  app.get("/dev", (c) =>
    c.json({
      version: VERSION,
      authed: false,
      startOpts: { autodiscover: false, urls: [...registry.apps.keys()] },
      functions: [...registry.functions.values()].map((fn) => fn.config),
      handlers: [...registry.apps.values()].map((a) => ({ url: a.url, appName: a.appId, syncedAt: a.syncedAt, error: a.error })),
    }),
  );

  // ------------------------------------------------------------ JSON API

  app.get("/v1/runs", (c) => {
    const runs = filterRuns(store.runs.values(), {
      status: c.req.query("status"),
      functionId: c.req.query("function_id"),
      eventId: c.req.query("event_id"),
      search: c.req.query("q"),
      from: parseTime(c.req.query("from")),
      to: parseTime(c.req.query("to")),
      system: true,
    });
    return c.json({ data: runs.map(summary) });
  });
  app.get("/v1/runs/:id", (c) => {
    const run = store.runs.get(c.req.param("id"));
    return run ? c.json({ data: { ...summary(run), ...run } }) : c.json({ error: "run not found" }, 404);
  });
  // Inngest's REST API shape, so scripts written against Inngest Cloud work here too.
  app.get("/v1/events/:id/runs", (c) => {
    const runs = [...store.runs.values()].filter((run) => run.event.id === c.req.param("id"));
    return c.json({ data: runs.map(summary) });
  });
  app.get("/v1/events", (c) => {
    const name = c.req.query("name");
    return c.json({ data: store.events.filter((e) => !name || e.name === name) });
  });
  app.post("/v1/runs/:id/cancel", (c) => withRun(c, store, (run) => (executor.cancel(run, "cancelled by API"), c.json({ data: summary(run) }))));
  app.delete("/v1/runs/:id", (c) => withRun(c, store, (run) => (executor.cancel(run, "cancelled by API"), c.json({ data: summary(run) }))));
  app.post("/v1/runs/:id/rerun", async (c) => {
    const body = z.object({ from_step: z.string().optional() }).safeParse((await readJson(c)) ?? {});
    if (!body.success) return c.json({ error: body.error.message }, 400);
    return withRun(c, store, (run) => {
      const rerun = rerunOf(services, run, body.data.from_step);
      return "refused" in rerun ? c.json({ error: rerun.refused }, rerun.code) : c.json({ data: summary(rerun) });
    });
  });
  app.get("/v1/functions", (c) => c.json({ data: [...registry.functions.values()].map(describeFunction) }));
  app.post("/v1/functions/:id/invoke", async (c) => {
    const fn = registry.functions.get(c.req.param("id"));
    if (!fn) return c.json({ error: "function not found" }, 404);
    const body = z.object({ data: z.record(z.string(), z.unknown()).optional() }).safeParse((await readJson(c)) ?? {});
    if (!body.success) return c.json({ error: body.error.message }, 400);
    const run = invokeByHand(services, fn, body.data.data ?? {});
    return c.json({ data: summary(run) });
  });
  app.post("/v1/apps/sync", async (c) => {
    const results = await Promise.allSettled([...registry.apps.keys()].map((url) => registry.sync(url)));
    return c.json({ data: results.map((r) => (r.status === "fulfilled" ? { ok: true } : { ok: false, error: String(r.reason) })) });
  });

  // ------------------------------------------------------------ runs page

  app.get("/", (c) => c.html(runsPage(ui, runsQuery(c))));
  app.get("/runs.js", () =>
    new Response(runsScript, { headers: { "content-type": "text/javascript; charset=utf-8", "x-content-type-options": "nosniff" } }),
  );
  app.get("/ui/changes", (c) => streamChanges(store, c.req.raw.signal));
  app.get("/runs/:id", (c) => {
    const run = store.runs.get(c.req.param("id"));
    return run ? c.html(runPage(run)) : c.text("run not found", 404);
  });
  app.post("/runs/:id/cancel", (c) => withRun(c, store, (run) => (executor.cancel(run, "cancelled from the runs page"), c.redirect(`/runs/${encodeURIComponent(run.id)}`, 303))));
  app.post("/runs/:id/rerun", async (c) => {
    const form = await c.req.parseBody();
    const fromStep = typeof form.from_step === "string" && form.from_step ? form.from_step : undefined;
    return withRun(c, store, (run) => {
      const rerun = rerunOf(services, run, fromStep);
      return "refused" in rerun ? c.text(rerun.refused, rerun.code) : c.redirect(`/runs/${encodeURIComponent(rerun.id)}`, 303);
    });
  });
  app.get("/functions", (c) => c.html(functionsPage(ui)));
  app.post("/functions/:id/invoke", async (c) => {
    const fn = registry.functions.get(c.req.param("id"));
    if (!fn) return c.text("function not found", 404);
    const form = await c.req.parseBody();
    const data = parseJsonObject(form.data);
    if (data === undefined) return c.text("data must be a JSON object", 400);
    const run = invokeByHand(services, fn, data);
    return c.redirect(`/runs/${encodeURIComponent(run.id)}`, 303);
  });
  app.post("/apps/sync", async (c) => {
    await Promise.allSettled([...registry.apps.keys()].map((url) => registry.sync(url)));
    return c.redirect("/functions", 303);
  });
  app.get("/events", (c) => c.html(eventsPage(ui, { search: c.req.query("q") || undefined, system: c.req.query("system") === "1" })));
  app.post("/events", async (c) => {
    const form = await c.req.parseBody();
    const data = parseJsonObject(form.data);
    if (typeof form.name !== "string" || !form.name || data === undefined) return c.text("name and JSON object data required", 400);
    return c.html(eventsPage(ui, {}, { ids: executor.send([{ name: form.name, data }]) }));
  });

  return app;
}

function summary(run: Run) {
  return {
    run_id: run.id,
    function_id: run.functionId,
    status: run.status,
    event_id: run.event.id,
    event_name: run.event.name,
    queued_at: run.queuedAt,
    run_started_at: run.startedAt,
    ended_at: run.endedAt,
    output: run.output,
    error: run.error,
    note: run.note,
    finished: TERMINAL.has(run.status),
  };
}

function describeFunction(fn: FunctionDef) {
  return { id: fn.id, name: fn.name, app_id: fn.appId, app_url: fn.appUrl, triggers: fn.config.triggers, max_attempts: fn.maxAttempts };
}

/** Cron functions get a `scheduled.timer` event, others an `invoked` event with the data. */
function invokeByHand(services: Services, fn: FunctionDef, data: Record<string, unknown>): Run {
  const now = Date.now();
  const cronTrigger = fn.crons[0];
  const event: EventPayload = cronTrigger
    ? scheduledEvent(cronTrigger.cron, new Date(now), now)
    : normalizeEvent({ name: INTERNAL_EVENTS.invoked, data }, now);
  const stored = { ...event, receivedAt: now, runIds: [] as string[] };
  services.store.addEvent(stored);
  const run = services.executor.startRun(fn, event);
  stored.runIds.push(run.id);
  return run;
}

/** A new run of the same event; `fromStep`: with the memo of the steps before it (rerun.ts). */
function rerunOf(services: Services, run: Run, fromStep?: string): Run | { refused: string; code: 404 | 409 } {
  const fn = services.registry.functions.get(run.functionId);
  if (!fn) return { refused: `function ${run.functionId} is not synced`, code: 409 };
  if (fromStep === undefined) return services.executor.startRun(fn, run.event, { rerunOf: run.id });
  const start = rerunFromStep(run, fromStep);
  if (!start) return { refused: `run ${run.id} has no step ${fromStep}`, code: 404 };
  return services.executor.startRun(fn, run.event, { rerunOf: run.id, version: run.version, ...start });
}

function runsQuery(c: Context): RunsPageQuery {
  const text = (name: string) => c.req.query(name)?.trim() || undefined;
  return {
    search: text("q"),
    status: text("status"),
    functionId: text("function"),
    fromText: text("from"),
    toText: text("to"),
    from: parseTime(text("from")),
    to: parseTime(text("to")),
    system: c.req.query("system") === "1",
    before: text("before"),
    after: text("after"),
  };
}

/** Server-sent events: `change` after runs or events change, coalesced; runs.js listens. */
function streamChanges(store: Store, signal: AbortSignal): Response {
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const encoder = new TextEncoder();
      const push = (chunk: string) => controller.enqueue(encoder.encode(chunk));
      let timer: NodeJS.Timeout | undefined;
      // A comment first, so the browser sees the stream open at once.
      push(": connected\n\n");
      const unsubscribe = store.subscribe(() => {
        timer ??= setTimeout(() => {
          timer = undefined;
          push("event: change\ndata: \n\n");
        }, CHANGE_NOTICE_MS);
      });
      stop = () => {
        unsubscribe();
        clearTimeout(timer);
      };
      signal.addEventListener("abort", () => stop());
    },
    cancel: () => stop(),
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
}

function withRun(c: Context, store: Store, action: (run: Run) => Response | Promise<Response>) {
  const run = store.runs.get(c.req.param("id") ?? "");
  return run ? action(run) : c.json({ error: "run not found" }, 404);
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return (await c.req.json()) as unknown;
  } catch {
    return undefined;
  }
}

function parseJsonObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "string" || value.trim() === "") return {};
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
