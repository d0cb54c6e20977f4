/**
 * HTTP surface: what the SDK calls (event API, out-of-band register), `GET /dev`, a JSON
 * API for tests and scripts, and the runs page with its form actions.
 */
import { readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { apiError, isUlid, MESSAGES, parseEventBody } from "./api-errors";
import type { CronScheduler } from "./cron";
import { scheduledEvent } from "./cron";
import { devInfo, type DevStartOpts } from "./dev-info";
import { normalizeEvent } from "./events";
import type { Executor } from "./executor";
import { INTERNAL_EVENTS, asyncCheckpointSchema, registerRequestSchema, sendSignalSchema, type EventPayload } from "./protocol";
import type { FunctionDef, Registry } from "./registry";
import { rerunFromStep } from "./rerun";
import { filterRuns, parseTime } from "./run-query";
import { TERMINAL, type Run, type Store } from "./store";
import { eventsPage, functionsPage, runPage, runsPage, type RunsPageQuery, type UiContext } from "./ui";

export type Services = {
  store: Store;
  registry: Registry;
  executor: Executor;
  cron: CronScheduler;
  /** What `GET /dev` reports under `startOpts`. */
  devOpts?: DevStartOpts;
};

/** The runs page's live updates (a browser script, so it is a file of its own). */
const runsScript = readFileSync(new URL("../live-refresh.js", import.meta.url), "utf8");
/** Change notices are coalesced: a busy run changes hundreds of times a second. */
const CHANGE_NOTICE_MS = 250;

export function createRoutes(services: Services): Hono {
  const { store, registry, executor, cron } = services;
  const ui: UiContext = { store, registry, nextCronRun: (id) => cron.nextRun(id) };
  const app = new Hono();

  // ------------------------------------------------------------ what the SDK calls

  app.post("/e/:key", async (c) => {
    const parsed = parseEventBody(await readJson(c));
    // The SDK only checks `status` in the body, so errors say so there too.
    if ("error" in parsed) return c.json({ ids: [], status: 400, error: parsed.error }, 400);
    const ids = executor.send(parsed.events);
    return c.json({ ids, status: 200 });
  });

  // `inngest.sendSignal`: 200 `{data: {run_id}}` for the run it resumed, 404 if none waits
  // (the SDK turns that into `{runId: undefined}`), as Inngest answers.
  app.post("/v1/signals", async (c) => {
    const parsed = sendSignalSchema.safeParse(await readJson(c));
    if (!parsed.success) return c.json({ error: `Invalid signal data: ${parsed.error.message}`, status: 400 }, 400);
    const runId = executor.signal(parsed.data.signal, parsed.data.data);
    return runId ? c.json({ data: { run_id: runId } }) : c.json({ error: "No signal found", status: 404 }, 404);
  });

  app.post("/fn/register", async (c) => {
    const parsed = registerRequestSchema.safeParse(await readJson(c));
    if (!parsed.success) return c.json({ ok: false, status: 400, error: parsed.error.message }, 400);
    const body = parsed.data;
    try {
      registry.register({ appId: body.appName, url: body.url, functions: body.functions, framework: body.framework, sdk: body.sdk });
    } catch (error) {
      return c.json({ ok: false, status: 400, error: (error as Error).message }, 400);
    }
    return c.json({ ok: true, modified: true });
  });

  // SDK v4 checkpoints steps it ran eagerly inside a call (executor.checkpoint). It only
  // reads the status: 409 makes it stop, any other error makes it hand the run back.
  app.post("/v1/checkpoint/:runId/async", async (c) => {
    const runId = c.req.param("runId");
    const parsed = asyncCheckpointSchema.safeParse(await readJson(c));
    if (!parsed.success) return c.json(apiError(400, `invalid request body: ${parsed.error.message}`), 400);
    const answer = executor.checkpoint(runId, parsed.data);
    if (answer.status === 200) return c.body(null, 200);
    return c.json({ ...apiError(answer.status, answer.error), data: { run_id: runId } }, answer.status);
  });
  // Sync checkpoints start runs from the app's own HTTP handlers (durable endpoints).
  app.post("/v1/checkpoint/*", (c) =>
    c.json(apiError(501, "the devstack executor does not implement durable endpoints (sync checkpoints); use Inngest Cloud or `npx inngest-cli dev`"), 501),
  );

  app.get("/dev", (c) => c.json(devInfo(registry, services.devOpts ?? { persist: false, resyncIntervalMs: 15_000 })));

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
    return c.json(rest(runs.map(summary)));
  });
  app.get("/v1/runs/:id", (c) => withRun(c, store, (run) => c.json(rest({ ...summary(run), ...run }))));
  // Inngest's REST API shape, so scripts written against Inngest Cloud work here too.
  app.get("/v1/events/:id/runs", (c) => {
    const runs = [...store.runs.values()].filter((run) => run.event.id === c.req.param("id"));
    return c.json(rest(runs.map(summary)));
  });
  app.get("/v1/events", (c) => {
    const name = c.req.query("name");
    return c.json(rest(store.events.filter((e) => !name || e.name === name)));
  });
  app.post("/v1/runs/:id/cancel", (c) => withRun(c, store, (run) => (executor.cancel(run, "cancelled by API"), c.json(rest(summary(run))))));
  app.delete("/v1/runs/:id", (c) => withRun(c, store, (run) => (executor.cancel(run, "cancelled by API"), c.json(rest(summary(run))))));
  app.post("/v1/runs/:id/rerun", async (c) => {
    const body = z.object({ from_step: z.string().optional() }).safeParse((await readJson(c)) ?? {});
    if (!body.success) return c.json(apiError(400, z.prettifyError(body.error)), 400);
    return withRun(c, store, (run) => {
      const rerun = rerunOf(services, run, body.data.from_step);
      return "refused" in rerun ? c.json(apiError(rerun.code, rerun.refused), rerun.code) : c.json(rest(summary(rerun)));
    });
  });
  app.get("/v1/functions", (c) => c.json(rest([...registry.functions.values()].map(describeFunction))));
  app.post("/v1/functions/:id/invoke", async (c) => {
    const id = c.req.param("id");
    const fn = registry.functions.get(id);
    if (!fn) return c.json(apiError(404, MESSAGES.functionNotFound(id)), 404);
    const body = z.object({ data: z.record(z.string(), z.unknown()).optional() }).safeParse((await readJson(c)) ?? {});
    if (!body.success) return c.json(apiError(400, z.prettifyError(body.error)), 400);
    const run = invokeByHand(services, fn, body.data.data ?? {});
    return c.json(rest(summary(run)));
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
    return run ? c.html(runPage(run)) : c.text(MESSAGES.runNotFound(c.req.param("id")), 404);
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
    if (!fn) return c.text(MESSAGES.functionNotFound(c.req.param("id")), 404);
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

/** The REST API's envelope (Go's `apiv1.Response`). */
function rest<T>(data: T) {
  return { data, metadata: { fetched_at: new Date().toISOString() } };
}

/** A run as Inngest's REST API lists it (`cqrs.FunctionRun`), times in RFC 3339, plus our own fields. */
function summary(run: Run) {
  return {
    run_id: run.id,
    // The function's slug (the SDK's id), where Inngest puts its internal UUID.
    function_id: run.functionId,
    status: run.status,
    event_id: run.event.id,
    event_name: run.event.name,
    queued_at: isoTime(run.queuedAt),
    run_started_at: isoTime(run.startedAt),
    ended_at: isoTime(run.endedAt) ?? null,
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
  if (fromStep === undefined) return services.executor.startRun(fn, run.event, { rerunOf: run.id, events: run.events });
  const start = rerunFromStep(run, fromStep);
  if (!start) return { refused: `run ${run.id} has no step ${fromStep}`, code: 404 };
  return services.executor.startRun(fn, run.event, { rerunOf: run.id, events: run.events, version: run.version, ...start });
}

function isoTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
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
  const id = c.req.param("id") ?? "";
  // As on Inngest: an id that can't be a run id is a bad request, an unknown one is not found.
  if (!isUlid(id)) return c.json(apiError(400, MESSAGES.invalidRunId(id)), 400);
  const run = store.runs.get(id);
  return run ? action(run) : c.json(apiError(404, MESSAGES.runNotFound(id)), 404);
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
