/**
 * The runs page: server-rendered HTML, no JavaScript, forms for every action (so every
 * button also works from curl). Pages showing unfinished runs refresh themselves.
 */
import { Html, html } from "./html";
import type { FunctionDef, Registry } from "./registry";
import { TERMINAL, type Run, type RunStatus, type StepRecord, type Store } from "./store";

export type UiContext = {
  store: Store;
  registry: Registry;
  nextCronRun: (functionId: string) => Date | undefined;
};

export type RunFilter = { status?: string; functionId?: string };

const STATUSES: RunStatus[] = ["Queued", "Running", "Completed", "Failed", "Cancelled"];

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{display:flex;gap:1.5rem;align-items:center;padding:.7rem 1.5rem;background:#111;color:#fff}
header a{color:#ddd;text-decoration:none}header a:hover{color:#fff}header strong{margin-right:1rem}
main{padding:1rem 1.5rem;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eee;vertical-align:top}
th{font-weight:600;color:#555;font-size:12px;text-transform:uppercase}
pre{background:#f3f3f3;padding:.6rem;overflow:auto;max-height:20rem;margin:.2rem 0;font-size:12px}
.status{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:12px;background:#e5e5e5}
.Completed{background:#d3f5dc}.Failed{background:#fbd5d5}.Cancelled,.Abandoned{background:#e9e3f7}
.Running,.Waiting{background:#dbeafe}.Queued{background:#fdf1c7}
form.inline{display:inline}button{cursor:pointer}
.muted{color:#777}.grid{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
textarea{width:100%;font-family:monospace}
`;

function layout(title: string, body: Html, refresh = false): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Inngest devstack</title>
${refresh ? html`<meta http-equiv="refresh" content="2">` : ""}
<style>${new Html(CSS)}</style></head>
<body><header><strong>Inngest devstack</strong><a href="/">Runs</a><a href="/functions">Functions</a><a href="/events">Events</a></header>
<main>${body}</main></body></html>`.value;
}

const status = (value: string) => html`<span class="status ${value}">${value}</span>`;
const time = (ms?: number) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 23) : "");
const json = (value: unknown) => html`<pre>${JSON.stringify(value, null, 2)}</pre>`;

export function duration(run: Pick<Run, "startedAt" | "endedAt">, now = Date.now()): string {
  if (!run.startedAt) return "";
  const ms = (run.endedAt ?? now) - run.startedAt;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function filterRuns(store: Store, filter: RunFilter): Run[] {
  return [...store.runs.values()]
    .filter((run) => !filter.status || run.status === filter.status)
    .filter((run) => !filter.functionId || run.functionId === filter.functionId)
    .sort((a, b) => b.queuedAt - a.queuedAt);
}

export function runsPage(ctx: UiContext, filter: RunFilter): string {
  const runs = filterRuns(ctx.store, filter).slice(0, 200);
  const functionIds = [...new Set([...ctx.registry.functions.keys(), ...[...ctx.store.runs.values()].map((r) => r.functionId)])].sort();
  const body = html`
<h1>Runs</h1>
<form method="get" action="/">
  <select name="status"><option value="">any status</option>${STATUSES.map(
    (s) => html`<option ${s === filter.status ? "selected" : ""}>${s}</option>`,
  )}</select>
  <select name="function"><option value="">any function</option>${functionIds.map(
    (id) => html`<option ${id === filter.functionId ? "selected" : ""}>${id}</option>`,
  )}</select>
  <button>Filter</button>
</form>
<table><thead><tr><th>Function</th><th>Status</th><th>Started</th><th>Duration</th><th>Event</th><th>Run</th></tr></thead><tbody>
${runs.map(
  (run) => html`<tr><td>${run.functionName}</td><td>${status(run.status)} <span class="muted">${run.note}</span></td>
<td>${time(run.startedAt ?? run.queuedAt)}</td><td>${duration(run)}</td><td>${run.event.name}</td>
<td><a href="/runs/${encodeURIComponent(run.id)}">${run.id}</a></td></tr>`,
)}
</tbody></table>
${runs.length === 0 ? html`<p class="muted">No runs yet. Send an event from <a href="/events">Events</a>.</p>` : ""}`;
  return layout("Runs", body, runs.some((run) => !TERMINAL.has(run.status)));
}

function stepRow(step: StepRecord) {
  return html`<tr><td>${step.name}<div class="muted">${step.op}</div></td><td>${status(step.status)}</td>
<td>${step.attempts}</td><td>${time(step.startedAt)}</td>
<td>${step.endedAt ? `${step.endedAt - step.startedAt} ms` : step.until ? `until ${time(step.until)}` : ""}</td>
<td>${step.error ? json(step.error) : step.output !== undefined ? json(step.output) : ""}</td></tr>`;
}

export function runPage(run: Run): string {
  const id = encodeURIComponent(run.id);
  const body = html`
<h1>${run.functionName} ${status(run.status)}</h1>
<div class="grid">
  <span>Run</span><span>${run.id}${run.rerunOf ? html` (rerun of <a href="/runs/${encodeURIComponent(run.rerunOf)}">${run.rerunOf}</a>)` : ""}</span>
  <span>Function</span><span>${run.functionId}</span>
  <span>Queued</span><span>${time(run.queuedAt)}</span>
  <span>Started</span><span>${time(run.startedAt)}</span>
  <span>Ended</span><span>${time(run.endedAt)}</span>
  <span>Duration</span><span>${duration(run)}</span>
  ${run.note ? html`<span>Note</span><span>${run.note}</span>` : ""}
  ${run.invokedBy ? html`<span>Invoked by</span><span><a href="/runs/${encodeURIComponent(run.invokedBy.runId)}">${run.invokedBy.runId}</a></span>` : ""}
</div>
<p>
  <form class="inline" method="post" action="/runs/${id}/rerun"><button>Rerun</button></form>
  ${TERMINAL.has(run.status) ? "" : html`<form class="inline" method="post" action="/runs/${id}/cancel"><button>Cancel</button></form>`}
</p>
<h2>Event</h2>${json(run.event)}
<h2>Steps</h2>
<table><thead><tr><th>Step</th><th>Status</th><th>Attempts</th><th>Started</th><th>Took</th><th>Output / error</th></tr></thead>
<tbody>${run.steps.map(stepRow)}</tbody></table>
${run.status === "Completed" ? html`<h2>Output</h2>${json(run.output)}` : ""}
${run.error ? html`<h2>Error</h2>${json(run.error)}` : ""}`;
  return layout(run.functionName, body, !TERMINAL.has(run.status));
}

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
<table><thead><tr><th>Function</th><th>Triggers</th><th>Retries</th><th></th></tr></thead><tbody>
${app.functionIds.map((id) => ctx.registry.functions.get(id)).filter((fn): fn is FunctionDef => fn !== undefined).map((fn) => {
  const next = ctx.nextCronRun(fn.id);
  return html`<tr><td><a href="/?function=${encodeURIComponent(fn.id)}">${fn.name}</a><div class="muted">${fn.id}</div></td>
<td>${triggers(fn)}${next ? html`<div class="muted">next ${time(next.getTime())}</div>` : ""}</td><td>${fn.maxAttempts - 1}</td>
<td><form method="post" action="/functions/${encodeURIComponent(fn.id)}/invoke">
${fn.crons.length ? html`<button>Run now</button>` : html`<input name="data" value="{}" size="24" aria-label="data"> <button>Invoke</button>`}
</form></td></tr>`;
})}
</tbody></table>`,
)}`;
  return layout("Functions", body);
}

export function eventsPage(ctx: UiContext, sent?: { ids: string[] }): string {
  const body = html`
<h1>Send an event</h1>
<form method="post" action="/events">
  <p><input name="name" placeholder="app/user.signed_up" required size="40" aria-label="event name"></p>
  <p><textarea name="data" rows="5" aria-label="event data">{}</textarea></p>
  <button>Send</button>
</form>
${sent ? html`<p>Sent: ${sent.ids.join(", ")}</p>` : ""}
<h1>Recent events</h1>
<table><thead><tr><th>Received</th><th>Name</th><th>Id</th><th>Runs</th><th>Data</th></tr></thead><tbody>
${ctx.store.events.slice(0, 100).map(
  (event) => html`<tr><td>${time(event.receivedAt)}</td><td>${event.name}</td><td>${event.id}</td>
<td>${event.runIds.map((id) => html`<div><a href="/runs/${encodeURIComponent(id)}">${id}</a></div>`)}</td>
<td>${json(event.data)}</td></tr>`,
)}
</tbody></table>`;
  return layout("Events", body);
}
