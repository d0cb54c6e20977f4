import { html, raw, type Html, page, type PageShell } from "../html";
import { eventTypeOf, parseJson, TIMESTAMP_TOLERANCE_SECONDS, type TimestampResult, type Verification } from "./signature";
import type { CaughtMessage } from "./store";

/**
 * The catcher's pages. Everything interpolated into `html` templates is escaped
 * (devstack/html.ts): bodies, paths and headers come from whoever posted them.
 */

// The mail inbox's palette, checked for WCAG AA contrast in both schemes.
const styles = raw(`
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f1f1f; --muted: #595959; --line: #d0d0d0; --accent: #0b57d0; --danger: #b3261e; --ok: #146c2e; font: 15px/1.5 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --bg: #121212; --fg: #e3e3e3; --muted: #b0b0b0; --line: #474747; --accent: #a8c7fa; --danger: #ffb4ab; --ok: #6dd58c; } }
html { background: var(--bg); color: var(--fg); }
input { color: inherit; background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; }
header { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: baseline; padding: .75rem 0; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.muted { color: var(--muted); }
.ok { color: var(--ok); }
.bad { color: var(--danger); }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: 1rem 0; }
form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 0; }
.field { display: flex; flex-direction: column; gap: .15rem; min-width: 0; flex: 1 1 12rem; }
input, button { font: inherit; padding: .3rem .6rem; }
button { color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
button.danger { color: var(--danger); border-color: currentColor; }
.scroll { overflow-x: auto; margin-top: 1rem; }
/* On a phone the list scrolls sideways rather than breaking words mid-letter. */
table.list { min-width: 40rem; }
table.list th, table.list td { overflow-wrap: normal; }
table.list td.id { overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; color: var(--muted); padding-bottom: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.headers th { font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: .5rem; } }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 1rem; border: 1px solid var(--line); }
code { overflow-wrap: anywhere; }
`);

const shell: PageShell = { app: "devstack webhooks", tagline: "A local endpoint that catches webhooks: POST to any path here.", styles, liveScript: { src: "/catcher.js", changes: "/events" } };

const layout = (title: string, body: Html) => page(shell, title, body);

const when = (iso: string) =>
  html`<time datetime="${iso}">${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "long" })}</time>`;

const messageLink = (message: CaughtMessage) => `/messages/${encodeURIComponent(message.id)}`;

const signatureLabels = { verified: "verified", mismatch: "signature does not match", "no-secret": "no secret set for this path" } as const;

function signatureBadge(verification: Verification): Html {
  const tone = verification.signature === "verified" ? "ok" : verification.signature === "mismatch" ? "bad" : "muted";
  return html`<span class="${tone}">${signatureLabels[verification.signature]}</span>`;
}

function describeTimestamp(timestamp: TimestampResult): string {
  switch (timestamp.status) {
    case "missing":
      return "no webhook-timestamp header";
    case "invalid":
      return "webhook-timestamp is not a number of seconds";
    case "ok":
      return `within ${TIMESTAMP_TOLERANCE_SECONDS / 60} minutes of arrival (${timestamp.skewSeconds} s)`;
    case "too-old":
      return `${timestamp.skewSeconds} s older than its arrival: a receiver would refuse it (tolerance ${TIMESTAMP_TOLERANCE_SECONDS} s)`;
    case "too-new":
      return `${-timestamp.skewSeconds} s ahead of its arrival: a receiver would refuse it (tolerance ${TIMESTAMP_TOLERANCE_SECONDS} s)`;
  }
}

export type ListedMessage = { message: CaughtMessage; verification: Verification };

/** `GET /`: the messages, newest first, the secrets form and the paths that have one. */
export function listPage(messages: ListedMessage[], secrets: { path: string; secret: string }[], origin: string): string {
  const count = `${messages.length} ${messages.length === 1 ? "message" : "messages"}, newest first`;
  const list =
    messages.length === 0
      ? html`<p>No webhooks caught yet.</p>
<p class="muted">Add an endpoint such as <code>${origin}/my-endpoint</code> in the app; what it is sent appears here. Add <code>?status=500</code> to its URL to answer that status, <code>?delay=3000</code> to answer after 3 seconds (at most 30).</p>`
      : html`<div class="scroll" role="region" aria-label="Messages" tabindex="0"><table class="list">
<caption>${count}</caption>
<thead><tr><th scope="col">Received</th><th scope="col">Path</th><th scope="col">Webhook id</th><th scope="col">Event type</th><th scope="col">Signature</th><th scope="col">Answered</th></tr></thead>
<tbody>
${messages.map(
  ({ message, verification }) => html`<tr>
<td><a href="${messageLink(message)}">${when(message.receivedAt)}</a></td>
<td><code>${message.path}</code></td>
<td class="id">${message.headers["webhook-id"] ?? html`<span class="muted">none</span>`}</td>
<td>${eventTypeOf(message) ?? html`<span class="muted">none</span>`}</td>
<td>${signatureBadge(verification)}</td>
<td>${message.responseStatus}</td>
</tr>
`,
)}</tbody>
</table></div>`;

  return layout(
    "Caught webhooks",
    html`<h1>Caught webhooks</h1>
<div id="clear-all" class="toolbar" data-live>${
      messages.length > 0 &&
      html`<form method="post" action="/messages/delete-all"><button class="danger" type="submit">Delete all ${messages.length} ${messages.length === 1 ? "message" : "messages"}</button></form>`
    }</div>
<div id="messages" data-live>
${list}
</div>
<section aria-labelledby="secrets-heading">
<h2 id="secrets-heading">Signing secrets</h2>
<p class="muted">Paste the secret the app showed when you added the endpoint, to check the signatures of what it sends to that path. Checked when shown, so it applies to messages already caught.</p>
<form method="post" action="/secrets">
<div class="field"><label for="secret-path">Path</label><input id="secret-path" name="path" required placeholder="/my-endpoint" autocomplete="off"></div>
<div class="field"><label for="secret-value">Secret</label><input id="secret-value" name="secret" required pattern="whsec_.+" placeholder="whsec_…" autocomplete="off" spellcheck="false"></div>
<button type="submit">Save secret</button>
</form>
<div id="secrets" data-live>${
      secrets.length > 0 &&
      html`<div class="scroll"><table>
<caption>Paths with a secret</caption>
<thead><tr><th scope="col">Path</th><th scope="col">Secret</th><th scope="col"><span class="muted">Actions</span></th></tr></thead>
<tbody>
${secrets.map(
  ({ path, secret }) => html`<tr><td><code>${path}</code></td><td><code>${secret.slice(0, 10)}…</code></td><td><form method="post" action="/secrets"><input type="hidden" name="path" value="${path}"><input type="hidden" name="secret" value=""><button class="danger" type="submit" aria-label="Forget the secret for ${path}">Forget</button></form></td></tr>
`,
)}</tbody>
</table></div>`
    }</div>
</section>`,
  );
}

/** `GET /messages/:id`: what arrived, how it was answered, its signature, headers and body. */
export function messagePage(message: CaughtMessage, verification: Verification): string {
  const parsed = parseJson(message.body);
  const body = parsed === undefined ? message.body : JSON.stringify(parsed, null, 2);
  const eventType = eventTypeOf(message);
  const fields: [label: string, value: string | Html][] = [
    ["Received", when(message.receivedAt)],
    ["Request", html`${message.method} <code>${message.path}${message.query}</code>`],
    ["Answered", String(message.responseStatus)],
    ["Webhook id", message.headers["webhook-id"] ?? "none"],
    ["Event type", eventType ?? "none"],
    ["Signature", html`${signatureBadge(verification)} <span class="muted">${verification.detail}</span>`],
    ["Timestamp", describeTimestamp(verification.timestamp)],
    ["Id", message.id],
  ];
  return layout(
    eventType ?? `POST ${message.path}`,
    html`<p><a href="/">← All messages</a></p>
<h1>${eventType ?? "Webhook"} to <code>${message.path}</code></h1>
<dl>
${fields.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>\n`)}</dl>
<section aria-labelledby="body-heading">
<h2 id="body-heading">Body</h2>
${message.body === "" ? html`<p class="muted">Empty body.</p>` : html`<pre>${body}</pre>`}
</section>
<section aria-labelledby="headers-heading">
<h2 id="headers-heading">Headers</h2>
<div class="scroll"><table class="headers">
<caption>Every header of the request, as received</caption>
<tbody>
${Object.entries(message.headers).map(([name, value]) => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>\n`)}</tbody>
</table></div>
</section>`,
  );
}

export function notFoundPage(): string {
  return layout(
    "Message not found",
    html`<h1>Message not found</h1>
<p>There is no message with this id. The catcher keeps the latest 500 and may have been cleared.</p>
<p><a href="/">← All messages</a></p>`,
  );
}
