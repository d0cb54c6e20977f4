/**
 * The runs page: server-rendered HTML, forms for every action (so every button also works
 * from curl and without JavaScript). /runs.js keeps the parts marked `data-live` current
 * as runs change; without it, pages showing unfinished runs refresh themselves.
 */
import { html, raw, type Html } from "../html";
import type { FunctionDef, Registry } from "./registry";
import { filterEvents, filterRuns, isSystemEvent, pageOf, type RunQuery } from "./run-query";
import { TERMINAL, type Run, type RunStatus, type StepAttempt, type StepRecord, type Store } from "./store";
import type { SerializedError } from "./protocol";

export type UiContext = {
  store: Store;
  registry: Registry;
  nextCronRun: (functionId: string) => Date | undefined;
};

/** The runs list's query string, as the filters form sends it. */
export type RunsPageQuery = RunQuery & {
  /** The form's raw `from`/`to`, echoed back into the inputs. */
  fromText?: string;
  toText?: string;
  before?: string;
  after?: string;
};

const STATUSES: RunStatus[] = ["Queued", "Running", "Completed", "Failed", "Cancelled"];
export const RUNS_PER_PAGE = 50;

// Contrast (WCAG AA: 4.5:1 for text) holds in light and dark; the page sets its own
// backgrounds so every colour is checked against a known one.
const CSS = `
:root{color-scheme:light dark;--bg:#fafafa;--surface:#fff;--fg:#1d1d1f;--muted:#595959;--line:#d0d0d0;--accent:#0b57d0;--danger:#b3261e;--code:#f1f1f1;
--ok-bg:#d3f5dc;--ok-fg:#0f3d1f;--fail-bg:#fbd5d5;--fail-fg:#5c1010;--cancel-bg:#e9e3f7;--cancel-fg:#3b2470;--run-bg:#dbeafe;--run-fg:#123a73;--queue-bg:#fdf1c7;--queue-fg:#4d3800;
--bar-ok:#2e7d32;--bar-fail:#c62828;--bar-run:#1565c0;--bar-wait:#8a8a8a;font:14px/1.45 system-ui,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--surface:#1b1b1b;--fg:#e3e3e3;--muted:#b0b0b0;--line:#474747;--accent:#a8c7fa;--danger:#ffb4ab;--code:#0b0b0b;
--ok-bg:#173d24;--ok-fg:#c8f0d3;--fail-bg:#4a1717;--fail-fg:#ffd2d2;--cancel-bg:#352a52;--cancel-fg:#e4dbff;--run-bg:#1b3356;--run-fg:#d3e4ff;--queue-bg:#4a3a0a;--queue-fg:#fdeaa8;
--bar-ok:#66bb6a;--bar-fail:#ef5350;--bar-run:#64b5f6;--bar-wait:#8a8a8a}}
html{background:var(--bg);color:var(--fg)}
body{margin:0}
header{display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;align-items:center;padding:.7rem 1rem;background:#111;color:#fff}
header a{color:#ddd;text-decoration:none}header a:hover{color:#fff;text-decoration:underline}header strong{margin-right:1rem}
header a:focus-visible{outline:3px solid #fff}
main{padding:1rem;max-width:1200px}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
h1{font-size:1.5rem;margin:.3rem 0 .8rem;overflow-wrap:anywhere}h2{font-size:1.15rem;margin:1.4rem 0 .5rem}h3{font-size:1rem;margin:0;overflow-wrap:anywhere}
input,select,button,textarea{font:inherit;color:inherit;background:var(--surface);border:1px solid var(--muted);border-radius:4px;padding:.25rem .5rem}
button{cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;margin-bottom:1rem}
.filters label{display:flex;flex-direction:column;gap:.15rem;font-size:12px;font-weight:600}
.filters label.check{flex-direction:row;align-items:center;gap:.4rem;font-weight:400;font-size:14px}
.filters input[type=search]{min-width:min(22rem,80vw)}
.scroll{overflow:auto;max-width:100%;border:1px solid var(--line);background:var(--surface)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;white-space:nowrap}
.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
pre.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;line-height:1.4;background:var(--code);color:var(--fg);
border:1px solid var(--line);padding:.6rem;margin:.3rem 0;white-space:pre-wrap;overflow-wrap:anywhere;overflow:auto;max-height:16rem;max-width:100%;box-sizing:border-box}
.status{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:12px;white-space:nowrap;background:var(--line);color:var(--fg)}
.Completed{background:var(--ok-bg);color:var(--ok-fg)}.Failed{background:var(--fail-bg);color:var(--fail-fg)}
.Cancelled,.Abandoned{background:var(--cancel-bg);color:var(--cancel-fg)}.Running,.Waiting{background:var(--run-bg);color:var(--run-fg)}
.Queued{background:var(--queue-bg);color:var(--queue-fg)}
form.inline{display:inline}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.8rem 0}
.muted{color:var(--muted)}.error-text{color:var(--danger)}
.grid{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem;margin:0}.grid dt{color:var(--muted)}.grid dd{margin:0;overflow-wrap:anywhere}
nav.pages{display:flex;gap:1rem;margin:.6rem 0}
textarea{width:100%;box-sizing:border-box;font-family:ui-monospace,Menlo,Consolas,monospace}
ol.timeline,ol.attempts{list-style:none;padding:0;margin:0}
.tl-step{border:1px solid var(--line);background:var(--surface);padding:.6rem;margin-bottom:.6rem}
.tl-head{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:baseline}
.tl-track{position:relative;height:.9rem;margin:.5rem 0;background:var(--bg);border:1px solid var(--line)}
.tl-bar{position:absolute;top:1px;bottom:1px;min-width:3px;background:var(--bar-ok)}
.tl-bar.fail{background:var(--bar-fail)}.tl-bar.run{background:var(--bar-run)}
.tl-bar.wait{background:repeating-linear-gradient(45deg,var(--bar-wait) 0 4px,transparent 4px 8px)}
.attempts li{border-top:1px solid var(--line);padding:.4rem 0}
.attempts li:first-child{border-top:0}
.scale{display:flex;justify-content:space-between;font-size:12px}
@media (max-width:40rem){main{padding:.75rem}}
`;

function layout(title: string, body: Html, unfinished = false): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Inngest devstack</title><link rel="icon" href="data:,">
${unfinished ? html`<noscript><meta http-equiv="refresh" content="2"></noscript>` : ""}
<style>${raw(CSS)}</style><script src="/runs.js" data-changes="/ui/changes" defer></script></head>
<body><header><strong>Inngest devstack</strong><nav aria-label="Sections"><a href="/">Runs</a> · <a href="/functions">Functions</a> · <a href="/events">Events</a></nav></header>
<main>${body}</main></body></html>`.toString();
}

const status = (value: string) => html`<span class="status ${value}">${value}</span>`;
const isoTime = (ms: number) => new Date(ms).toISOString();
const time = (ms?: number) => (ms ? html`<time datetime="${isoTime(ms)}">${isoTime(ms).replace("T", " ").slice(0, 23)}</time>` : "");

/** Milliseconds as a short duration: `870 ms`, `2.35 s`, `41.2 s`, `3 min 5 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function duration(run: Pick<Run, "startedAt" | "endedAt">, now = Date.now()): string {
  return run.startedAt ? formatMs((run.endedAt ?? now) - run.startedAt) : "";
}

/** A bounded, wrapping, keyboard-scrollable code block: a 500-line stack trace stays one box. */
function code(text: string, label: string, id?: string) {
  return html`<pre class="code" tabindex="0" role="region" aria-label="${label}"${id ? html` id="${id}"` : ""}>${text}</pre>`;
}
const json = (value: unknown, label: string, id?: string) => code(JSON.stringify(value, null, 2) ?? "undefined", label, id);

function errorBlock(error: SerializedError, label: string, id?: string) {
  // The SDK's stack starts with "Name: message"; without one, the message is all there is.
  const { name, message, stack, ...rest } = error;
  const extra = Object.keys(rest).length > 0 ? `\n\n${JSON.stringify(rest, null, 2)}` : "";
  return html`<p class="error-text"><strong>${name}</strong>: ${message}</p>${stack || extra ? code(`${stack ?? ""}${extra}`.trim(), label, id) : ""}`;
}

// ------------------------------------------------------------------ runs list

function queryString(query: RunsPageQuery, page: { before?: string; after?: string } = {}): string {
  const params = new URLSearchParams();
  if (query.search) params.set("q", query.search);
  if (query.status) params.set("status", query.status);
  if (query.functionId) params.set("function", query.functionId);
  if (query.fromText) params.set("from", query.fromText);
  if (query.toText) params.set("to", query.toText);
  if (query.system) params.set("system", "1");
  if (page.before) params.set("before", page.before);
  if (page.after) params.set("after", page.after);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function runsPage(ctx: UiContext, query: RunsPageQuery): string {
  const runs = filterRuns(ctx.store.runs.values(), query);
  const hidden = query.system ? 0 : filterRuns(ctx.store.runs.values(), { ...query, system: true }).length - runs.length;
  const page = pageOf(runs, { limit: RUNS_PER_PAGE, before: query.before, after: query.after });
  const functionIds = [...new Set([...ctx.registry.functions.keys(), ...[...ctx.store.runs.values()].map((r) => r.functionId)])].sort();
  const body = html`
<h1>Runs</h1>
<form method="get" action="/" class="filters" role="search" aria-label="Filter runs">
  <label>Search<input type="search" name="q" value="${query.search ?? ""}" placeholder="run id, event id or event data" aria-describedby="search-help"></label>
  <label>Status<select name="status"><option value="">Any status</option>${STATUSES.map(
    (s) => html`<option ${s === query.status ? "selected" : ""}>${s}</option>`,
  )}</select></label>
  <label>Function<select name="function"><option value="">Any function</option>${functionIds.map(
    (id) => html`<option ${id === query.functionId ? "selected" : ""}>${id}</option>`,
  )}</select></label>
  <label>Queued from<input type="datetime-local" step="1" name="from" value="${query.fromText ?? ""}"></label>
  <label>Queued before<input type="datetime-local" step="1" name="to" value="${query.toText ?? ""}"></label>
  <label class="check"><input type="checkbox" name="system" value="1" ${query.system ? "checked" : ""}> Show runs of system events</label>
  <button>Filter</button> <a href="/">Clear</a>
</form>
<p id="search-help" class="muted">Search finds a run by its id, its event's id, text in the event's data, or a JSON object the data contains, e.g. <code>{"jobId":"…"}</code>. Times are the devstack's local time.</p>
<div id="runs" data-live>
<p class="muted">${runs.length === 1 ? "1 run" : `${runs.length} runs`}${
    hidden > 0
      ? html` · ${hidden} of cron ticks and lifecycle events (<code>inngest/…</code>) hidden: <a href="/${queryString({ ...query, system: true })}">show them</a>`
      : ""
  }</p>
<div class="scroll" tabindex="0" role="region" aria-label="Runs list">
<table><thead><tr><th>Function / run</th><th>Status</th><th>Queued</th><th>Duration</th><th>Event</th></tr></thead><tbody>
${page.items.map(
  (run) => html`<tr><td><a href="/runs/${encodeURIComponent(run.id)}">${run.functionName}</a><div class="id muted">${run.id}</div></td>
<td>${status(run.status)}${run.note ? html`<div class="muted">${run.note}</div>` : ""}</td>
<td>${time(run.queuedAt)}</td><td>${duration(run)}</td><td>${run.event.name}<div class="id muted">${run.event.id}</div></td></tr>`,
)}
</tbody></table></div>
${runs.length === 0 ? html`<p class="muted">No runs match. Send an event from <a href="/events">Events</a>.</p>` : ""}
${page.newer || page.older ? html`<nav class="pages" aria-label="Pages of runs">
${page.newer ? html`<a href="/${queryString(query)}">Newest</a> <a href="/${queryString(query, { after: page.newer })}">Newer</a>` : ""}
${page.older ? html`<a href="/${queryString(query, { before: page.older })}">Older</a>` : ""}
</nav>` : ""}
</div>`;
  return layout("Runs", body, page.items.some((run) => !TERMINAL.has(run.status)));
}

// ------------------------------------------------------------------ one run

export type TimelineBar = { kind: "ok" | "fail" | "run" | "wait"; left: number; width: number; label: string };

/**
 * Where each of a step's attempts (or its sleep/wait) sits on the run's time axis, as
 * percentages of the run's span (first start to end, or now while it runs).
 */
export function timelineBars(run: Run, step: StepRecord, now = Date.now()): TimelineBar[] {
  const start = run.startedAt ?? run.queuedAt;
  const end = Math.max(run.endedAt ?? now, start + 1);
  const span = end - start;
  const at = (ms: number) => Math.min(100, Math.max(0, ((ms - start) / span) * 100));
  const bar = (kind: TimelineBar["kind"], from: number, to: number, label: string): TimelineBar => ({
    kind,
    left: round(at(from)),
    width: round(Math.max(0, at(to) - at(from))),
    label,
  });
  const attempts = attemptsOf(step);
  if (attempts.length === 0) {
    const to = step.endedAt ?? (TERMINAL.has(run.status) ? end : Math.min(now, step.until ?? now));
    return [bar("wait", step.startedAt, to, `${step.op || "step"} ${formatMs(to - step.startedAt)}`)];
  }
  return attempts.map((a) => {
    const to = a.endedAt ?? (TERMINAL.has(run.status) ? end : now);
    const kind = a.endedAt === undefined ? (TERMINAL.has(run.status) ? "fail" : "run") : a.error ? "fail" : "ok";
    return bar(kind, a.startedAt, to, `attempt ${a.attempt}: ${formatMs(to - a.startedAt)}`);
  });
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The step's attempts; a step recorded before histories were kept shows its last one. */
export function attemptsOf(step: StepRecord): StepAttempt[] {
  if (step.history?.length) return step.history;
  if (step.attempts < 1) return [];
  return [{ attempt: step.attempts, startedAt: step.startedAt, endedAt: step.endedAt, error: step.status === "Failed" || step.op === "StepError" ? step.error : undefined }];
}

function attemptItem(run: Run, step: StepRecord, attempt: StepAttempt, index: number) {
  const start = run.startedAt ?? run.queuedAt;
  const outcome = attempt.endedAt === undefined ? (TERMINAL.has(run.status) ? "Abandoned" : "Running") : attempt.error ? "Failed" : "Completed";
  const label = `Error of attempt ${attempt.attempt} of step ${step.name}`;
  return html`<li><strong>Attempt ${attempt.attempt}</strong> ${status(outcome)}
<span class="muted">started ${time(attempt.startedAt)} (+${formatMs(attempt.startedAt - start)})${
    attempt.endedAt !== undefined ? html` · took ${formatMs(attempt.endedAt - attempt.startedAt)}` : ""
  }</span>
${attempt.error ? errorBlock(attempt.error, label, `step-${step.id}-attempt-${index}`) : ""}</li>`;
}

function stepItem(run: Run, step: StepRecord, now: number) {
  const attempts = attemptsOf(step);
  const took = step.endedAt !== undefined ? formatMs(step.endedAt - (attempts[0]?.startedAt ?? step.startedAt)) : step.until ? html`until ${time(step.until)}` : "";
  const bars = timelineBars(run, step, now);
  const rerunnable = step.status === "Completed" || step.status === "Failed" || step.status === "Abandoned";
  const stepId = `step-${step.id}`;
  return html`<li class="tl-step" aria-labelledby="${stepId}-name">
<div class="tl-head"><h3 id="${stepId}-name">${step.name}</h3>${status(step.status)}
<span class="muted">${step.op}${attempts.length > 0 ? ` · ${attempts.length === 1 ? "1 attempt" : `${attempts.length} attempts`}` : ""}${took ? html` · ${took}` : ""}</span></div>
<div class="tl-track" aria-hidden="true">${bars.map(
    (b) => html`<span class="tl-bar ${b.kind}" style="left:${b.left}%;width:${b.width}%" title="${b.label}"></span>`,
  )}</div>
${attempts.length > 0 ? html`<ol class="attempts" aria-label="Attempts of ${step.name}">${attempts.map((a, i) => attemptItem(run, step, a, i))}</ol>` : ""}
${step.status === "Completed" && step.output !== undefined ? json(step.output, `Output of step ${step.name}`, `${stepId}-output`) : ""}
${step.status === "Failed" && step.error && attempts.length === 0 ? errorBlock(step.error, `Error of step ${step.name}`, `${stepId}-error`) : ""}
${rerunnable ? html`<form class="inline" method="post" action="/runs/${encodeURIComponent(run.id)}/rerun"><input type="hidden" name="from_step" value="${step.id}">
<button aria-label="Rerun from this step: ${step.name}">Rerun from this step</button></form>` : ""}
</li>`;
}

export function runPage(run: Run, now = Date.now()): string {
  const id = encodeURIComponent(run.id);
  const start = run.startedAt ?? run.queuedAt;
  const body = html`
<div id="run-summary" data-live>
<h1>${run.functionName} ${status(run.status)}</h1>
<dl class="grid">
  <dt>Run</dt><dd class="id">${run.id}${run.rerunOf ? html` (rerun of <a href="/runs/${encodeURIComponent(run.rerunOf)}">${run.rerunOf}</a>${run.rerunFromStep ? ` from step ${run.rerunFromStep}` : ""})` : ""}</dd>
  <dt>Function</dt><dd>${run.functionId}</dd>
  <dt>Queued</dt><dd>${time(run.queuedAt)}</dd>
  <dt>Started</dt><dd>${time(run.startedAt)}</dd>
  <dt>Ended</dt><dd>${time(run.endedAt)}</dd>
  <dt>Duration</dt><dd>${duration(run, now)}</dd>
  ${run.note ? html`<dt>Note</dt><dd>${run.note}</dd>` : ""}
  ${run.invokedBy ? html`<dt>Invoked by</dt><dd><a href="/runs/${encodeURIComponent(run.invokedBy.runId)}">${run.invokedBy.runId}</a></dd>` : ""}
</dl>
<div class="actions">
  <form class="inline" method="post" action="/runs/${id}/rerun"><button>Rerun</button></form>
  ${TERMINAL.has(run.status) ? "" : html`<form class="inline" method="post" action="/runs/${id}/cancel"><button>Cancel</button></form>`}
</div>
</div>
<h2>Event <span class="muted">${run.event.name}</span></h2>${json(run.event, "Trigger event")}
<h2>Timeline</h2>
<div id="run-timeline" data-live>
<p class="scale muted" aria-hidden="true"><span>0</span><span>${formatMs(Math.max(0, (run.endedAt ?? now) - start))}</span></p>
${run.steps.length ? html`<ol class="timeline">${run.steps.map((step) => stepItem(run, step, now))}</ol>` : html`<p class="muted">No steps yet.</p>`}
</div>
<div id="run-result" data-live>
${run.status === "Completed" ? html`<h2>Output</h2>${json(run.output, "Run output", "run-output")}` : ""}
${run.error ? html`<h2>Error</h2>${errorBlock(run.error, "Run error", "run-error")}` : ""}
</div>`;
  return layout(run.functionName, body, !TERMINAL.has(run.status));
}

// ------------------------------------------------------------------ functions and events

function triggers(fn: FunctionDef) {
  return [
    ...fn.eventTriggers.map((t) => html`<div>event <code>${t.event}</code>${t.expression ? html` if <code>${t.expression}</code>` : ""}</div>`),
    ...fn.crons.map((c) => html`<div>cron <code>${c.cron}</code></div>`),
  ];
}

export function functionsPage(ctx: UiContext): string {
  const apps = [...ctx.registry.apps.values()];
  const body = html`
<h1>Apps</h1>
<form method="post" action="/apps/sync"><button>Resync all</button></form>
${apps.map(
  (app) => html`<h2>${app.appId ?? "(not synced)"} <span class="muted">${app.url}</span></h2>
<p>${app.syncedAt ? html`synced ${time(app.syncedAt)} · ${app.sdk} · ${app.framework}` : ""}
${app.error ? html`<span class="status Failed">sync failing</span> ${app.error}` : ""}</p>
${app.unsupported?.length ? html`<p><span class="status Failed">not implemented by the devstack</span></p><ul>${app.unsupported.map((line) => html`<li>${line}</li>`)}</ul>` : ""}
<div class="scroll" tabindex="0" role="region" aria-label="Functions of ${app.appId ?? app.url}">
<table><thead><tr><th>Function</th><th>Triggers</th><th>Retries</th><th>Run</th></tr></thead><tbody>
${app.functionIds.map((id) => ctx.registry.functions.get(id)).filter((fn): fn is FunctionDef => fn !== undefined).map((fn) => {
  const next = ctx.nextCronRun(fn.id);
  return html`<tr><td><a href="/?function=${encodeURIComponent(fn.id)}">${fn.name}</a><div class="id muted">${fn.id}</div></td>
<td>${triggers(fn)}${next ? html`<div class="muted">next ${time(next.getTime())}</div>` : ""}</td><td>${fn.maxAttempts - 1}</td>
<td><form method="post" action="/functions/${encodeURIComponent(fn.id)}/invoke">
${fn.crons.length ? html`<button aria-label="Run now: ${fn.name}">Run now</button>` : html`<input name="data" value="{}" size="18" aria-label="Data for ${fn.name}"> <button aria-label="Invoke: ${fn.name}">Invoke</button>`}
</form></td></tr>`;
})}
</tbody></table></div>`,
)}`;
  return layout("Functions", body);
}

export type EventsQuery = Pick<RunQuery, "search" | "system">;

export function eventsPage(ctx: UiContext, query: EventsQuery = {}, sent?: { ids: string[] }): string {
  const events = filterEvents(ctx.store.events, query);
  const hidden = query.system || query.search ? 0 : ctx.store.events.filter((e) => isSystemEvent(e.name)).length;
  const shown = events.slice(0, 100);
  const body = html`
<h1>Events</h1>
<h2>Send an event</h2>
<form method="post" action="/events">
  <p><label>Event name<br><input name="name" placeholder="app/user.signed_up" required size="40"></label></p>
  <p><label>Event data (JSON)<br><textarea name="data" rows="5">{}</textarea></label></p>
  <button>Send</button>
</form>
${sent ? html`<p role="status">Sent: ${sent.ids.join(", ")}</p>` : ""}
<h2>Recent events</h2>
<form method="get" action="/events" class="filters" role="search" aria-label="Filter events">
  <label>Search<input type="search" name="q" value="${query.search ?? ""}" placeholder="event id, run id or data"></label>
  <label class="check"><input type="checkbox" name="system" value="1" ${query.system ? "checked" : ""}> Show system events</label>
  <button>Filter</button> <a href="/events">Clear</a>
</form>
<div id="events" data-live>
<p class="muted">${events.length === 1 ? "1 event" : `${events.length} events`}${events.length > shown.length ? `, newest ${shown.length} shown` : ""}${
    hidden > 0 ? html` · ${hidden} system events (<code>inngest/…</code>) hidden: <a href="/events?system=1">show them</a>` : ""
  }</p>
<div class="scroll" tabindex="0" role="region" aria-label="Recent events">
<table><thead><tr><th>Received</th><th>Name / id</th><th>Runs</th><th>Data</th></tr></thead><tbody>
${shown.map(
  (event) => html`<tr><td>${time(event.receivedAt)}</td><td>${event.name}<div class="id muted">${event.id}</div></td>
<td>${event.runIds.map((id) => html`<div><a class="id" href="/runs/${encodeURIComponent(id)}">${id}</a></div>`)}</td>
<td>${json(event.data, `Data of event ${event.id}`)}</td></tr>`,
)}
</tbody></table></div></div>`;
  return layout("Events", body);
}
