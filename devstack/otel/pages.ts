import { html, raw, type Html, page, type PageShell } from "../html";
import type { ReceivedSpan } from "./decode";
import { compareNanos, type Trace, type TraceSummary } from "./store";

/**
 * The receiver's pages: recent traces, and one trace as a waterfall. Span names and
 * attributes come from whoever exported them, so everything goes through the escaping
 * `html` template (devstack/html.ts).
 */

// The mail inbox's palette, checked for WCAG AA contrast in both schemes.
const styles = raw(`
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f1f1f; --muted: #595959; --line: #d0d0d0; --accent: #0b57d0; --danger: #b3261e; --bar: #0b57d0; font: 15px/1.5 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --bg: #121212; --fg: #e3e3e3; --muted: #b0b0b0; --line: #474747; --accent: #a8c7fa; --danger: #ffb4ab; --bar: #a8c7fa; } }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 80rem; padding: 0 1rem 3rem; }
header { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: baseline; padding: .75rem 0; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.muted { color: var(--muted); }
.bad { color: var(--danger); }
.scroll { overflow-x: auto; margin-top: 1rem; }
table { width: 100%; border-collapse: collapse; min-width: 40rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.waterfall td.name { white-space: nowrap; }
.track { position: relative; height: 1.1rem; min-width: 20rem; }
.bar { position: absolute; top: .2rem; height: .7rem; min-width: 2px; background: var(--bar); border-radius: 2px; }
.bar.error { background: var(--danger); }
details summary { cursor: pointer; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; font-size: .9em; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
`);

const shell: PageShell = { app: "devstack traces", tagline: "An OTLP/HTTP receiver: point OTEL_EXPORTER_OTLP_ENDPOINT here.", styles };

const layout = (title: string, body: Html) => page(shell, title, body);

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;

export function listPage(traces: TraceSummary[]): string {
  const rows = traces.map(
    (trace) => html`<tr>
<td><a href="/traces/${trace.traceId}">${trace.name}</a></td>
<td>${trace.service}</td>
<td class="num">${trace.spanCount}</td>
<td class="num ${trace.errorCount > 0 ? "bad" : ""}">${trace.errorCount}</td>
<td class="num">${ms(trace.durationMs)}</td>
<td><time datetime="${trace.startedAt}">${new Date(trace.startedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}</time></td>
</tr>`,
  );
  return layout(
    "Traces",
    html`<p><a href="/">Refresh</a></p>
${
  traces.length === 0
    ? html`<p class="muted">No traces yet. Start the app with OTEL_EXPORTER_OTLP_ENDPOINT set to this address and make a request.</p>`
    : html`<div class="scroll"><table>
<caption>${traces.length} recent traces, newest first</caption>
<thead><tr><th scope="col">Root span</th><th scope="col">Service</th><th scope="col">Spans</th><th scope="col">Errors</th><th scope="col">Duration</th><th scope="col">Started</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
}`,
  );
}

/** Spans in tree order (each after its parent, siblings by start), with their depth. */
function treeOrder(spans: ReceivedSpan[]): { span: ReceivedSpan; depth: number }[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, ReceivedSpan[]>();
  const roots: ReceivedSpan[] = [];
  for (const span of spans) {
    // A span whose parent never arrived (another process's, not exported) shows as a root.
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: ReceivedSpan, b: ReceivedSpan) => compareNanos(a.startTimeUnixNano, b.startTimeUnixNano);
  const out: { span: ReceivedSpan; depth: number }[] = [];
  const visit = (span: ReceivedSpan, depth: number) => {
    out.push({ span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  return out;
}

export function tracePage(trace: Trace): string {
  const start = BigInt(trace.spans[0]?.startTimeUnixNano ?? "0");
  const total = Math.max(trace.durationMs, 0.001);
  const rows = treeOrder(trace.spans).map(({ span, depth }) => {
    const left = (Number(BigInt(span.startTimeUnixNano) - start) / 1e6 / total) * 100;
    const width = (span.durationMs / total) * 100;
    const attributes = Object.entries(span.attributes);
    return html`<tr>
<td class="name" style="padding-left: ${0.5 + depth * 1.25}rem">
<details><summary>${span.name}${typeof span.attributes["url.full"] === "string" ? html` <span class="muted">${span.attributes["url.full"]}</span>` : ""}</summary>
<dl>
<dt>span</dt><dd>${span.spanId}</dd>
<dt>parent</dt><dd>${span.parentSpanId ?? "none"}</dd>
<dt>kind</dt><dd>${span.kind}</dd>
<dt>status</dt><dd class="${span.status.code === "error" ? "bad" : ""}">${span.status.code}${span.status.message ? `: ${span.status.message}` : ""}</dd>
${attributes.map(([key, value]) => html`<dt>${key}</dt><dd>${typeof value === "string" ? value : JSON.stringify(value)}</dd>`)}
</dl>
</details>
</td>
<td>${span.service}</td>
<td class="num">${ms(span.durationMs)}</td>
<td><div class="track" aria-hidden="true"><div class="bar ${span.status.code === "error" ? "error" : ""}" style="left: ${left.toFixed(3)}%; width: ${width.toFixed(3)}%"></div></div></td>
</tr>`;
  });
  return layout(
    trace.name,
    html`<h1>${trace.name}</h1>
<p class="muted">Trace ${trace.traceId} · ${trace.spanCount} spans · ${ms(trace.durationMs)} · <a href="/api/traces/${trace.traceId}">JSON</a></p>
<div class="scroll"><table class="waterfall">
<thead><tr><th scope="col">Span</th><th scope="col">Service</th><th scope="col">Duration</th><th scope="col">Timeline</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`,
  );
}

export function notFoundPage(): string {
  return layout("Not found", html`<p>No such trace here (the receiver keeps recent traces in memory only). <a href="/">All traces</a></p>`);
}
