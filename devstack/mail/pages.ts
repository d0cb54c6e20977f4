import { html, raw, type Html, page, type PageShell } from "../html";
import type { StoredEmail } from "./outbox";

/**
 * The inbox: server-rendered pages to read what the app sent. Everything interpolated into
 * `html` templates is escaped (devstack/html.ts), so an email can't inject markup.
 */

// Contrast (WCAG AA, 4.5:1 for text) holds in both schemes. The page sets its own
// background rather than trusting the browser's canvas, so every colour is checked
// against a known one (e2e/inbox.spec.ts runs axe in light and dark).
const styles = raw(`
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f1f1f; --muted: #595959; --line: #d0d0d0; --accent: #0b57d0; --danger: #b3261e; font: 15px/1.5 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --bg: #121212; --fg: #e3e3e3; --muted: #b0b0b0; --line: #474747; --accent: #a8c7fa; --danger: #ffb4ab; } }
html { background: var(--bg); color: var(--fg); }
input { color: inherit; background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1.5rem 3rem; }
header { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: baseline; padding: .75rem 0; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.muted { color: var(--muted); }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: 1rem 0; }
form { display: inline-flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0; }
input, button { font: inherit; padding: .3rem .6rem; }
button { color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
button.danger { color: var(--danger); border-color: currentColor; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; color: var(--muted); padding-bottom: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.headers th { font-weight: 600; white-space: nowrap; }
th.actions, td.actions { width: 1%; white-space: nowrap; overflow-wrap: normal; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
iframe { display: block; width: 100%; height: 70vh; resize: vertical; border: 1px solid var(--line); background: #fff; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 1rem; border: 1px solid var(--line); }
`);

const shell: PageShell = { app: "devstack mail", tagline: "Resend's stand-in: nothing here left your machine.", styles, liveScript: { src: "/inbox.js", changes: "/events" } };

const layout = (title: string, body: Html) => page(shell, title, body);

/** In the devstack's time zone (yours: it runs on your machine), and saying which it is. */
const when = (iso: string) =>
  html`<time datetime="${iso}">${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "long" })}</time>`;

const emailLink = (email: StoredEmail) => `/inbox/${encodeURIComponent(email.id)}`;
const subjectOf = (email: StoredEmail) => email.subject || "(no subject)";

/** The inbox's query: `q` searches (Outbox.list's `search`); `to` is an exact recipient. */
export type InboxQuery = { search: string; to: string };

function describe({ search, to }: InboxQuery): string {
  return [to && `to ${to}`, search && `matching “${search}”`].filter(Boolean).join(" ");
}

/** `GET /`: every email, newest first, or those the search finds. Refreshes itself (inbox.js). */
export function inboxPage(emails: StoredEmail[], query: InboxQuery, total: number): string {
  const filtered = describe(query);
  const count = `${emails.length} ${emails.length === 1 ? "email" : "emails"}${filtered ? ` ${filtered}` : ""}, newest first`;
  const list =
    emails.length === 0
      ? html`<p>${filtered ? `No emails ${filtered}.` : "No emails yet."}</p>
<p class="muted">Emails the app sends through the <code>resend</code> SDK appear here as they are sent.</p>`
      : html`<table>
<caption>${count}</caption>
<thead><tr><th scope="col">To</th><th scope="col">Subject</th><th scope="col">From</th><th scope="col">Sent</th><th scope="col" class="actions"><span class="muted">Actions</span></th></tr></thead>
<tbody>
${emails.map(
  (email) => html`<tr>
<td>${email.to.join(", ")}</td>
<td><a href="${emailLink(email)}">${subjectOf(email)}</a></td>
<td>${email.from}</td>
<td>${when(email.created_at)}</td>
<td class="actions">${deleteButton(email)}</td>
</tr>
`,
)}</tbody>
</table>`;

  return layout(
    filtered ? `Emails ${filtered}` : "Sent emails",
    html`<h1>Sent emails</h1>
<div class="toolbar">
<form method="get" action="/" role="search">
<label for="q">Search recipients, subjects and bodies</label>
<input id="q" name="q" type="search" value="${query.search}" placeholder="ada@example.com, “report”…" autocomplete="off">
${query.to && html`<input type="hidden" name="to" value="${query.to}">`}
<button type="submit">Filter</button>
${filtered && html`<a href="/">Show all</a>`}
</form>
<div id="delete-all" data-live>${
      total > 0 &&
      html`<form method="post" action="/inbox/delete-all"><button class="danger" type="submit">Delete all ${total} ${total === 1 ? "email" : "emails"}</button></form>`
    }</div>
</div>
<div id="emails" data-live>
${list}
</div>`,
  );
}

const deleteButton = (email: StoredEmail) =>
  html`<form method="post" action="${emailLink(email)}/delete"><button class="danger" type="submit" aria-label="Delete “${subjectOf(email)}”">Delete</button></form>`;

/**
 * `GET /inbox/:id`: one email's envelope, every header of its RFC 5322 form (`headers`),
 * its HTML part sandboxed, its text part, and links to its raw source and `.eml`.
 */
export function emailPage(email: StoredEmail, headers: { name: string; value: string }[]): string {
  const fields: [label: string, value: string | Html | null | false][] = [
    ["From", email.from],
    ["To", email.to.join(", ")],
    ["Cc", email.cc.join(", ")],
    ["Bcc", email.bcc.join(", ")],
    ["Reply-To", email.reply_to.join(", ")],
    ["Subject", email.subject],
    ["Sent", when(email.created_at)],
    ["Scheduled for", email.scheduled_at && `${email.scheduled_at} (the devstack delivers at once)`],
    ["Tags", email.tags.map((tag) => `${tag.name}=${tag.value}`).join(", ")],
    [
      "Attachments",
      email.attachments.length > 0 &&
        html`${email.attachments
          .map((file) => [file.filename ?? "(unnamed)", file.content_type, file.bytes === null ? null : `${file.bytes} bytes`].filter(Boolean).join(", "))
          .join("; ")} <span class="muted">(the devstack keeps no content, so the .eml has none)</span>`,
    ],
    ["Idempotency key", email.idempotency?.key ?? null],
    ["Id", email.id],
  ];

  // The email's links open in a new tab: the sandbox allows popups and nothing else, so
  // its scripts, forms and top-level navigation stay blocked. A <base> element applies
  // wherever it sits, and appending it keeps the email's own doctype first.
  const htmlPart = email.html
    ? html`<iframe title="HTML part of the email" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${`${email.html}<base target="_blank">`}"></iframe>`
    : html`<p class="muted">No HTML part.</p>`;
  const textPart =
    email.text !== null
      ? html`<pre>${email.text}</pre>`
      : html`<p class="muted">No text part. Resend derives one from the HTML when it sends.</p>`;

  return layout(
    subjectOf(email),
    html`<p><a href="/">← All emails</a></p>
<h1>${subjectOf(email)}</h1>
<div class="toolbar">
<a href="${emailLink(email)}/source">Raw source</a>
<a href="${emailLink(email)}/download" download>Download .eml</a>
${deleteButton(email)}
</div>
<dl>
${fields.filter(([, value]) => value).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>\n`)}</dl>
<section aria-labelledby="html-part">
<h2 id="html-part">HTML</h2>
${htmlPart}
</section>
<section aria-labelledby="text-part">
<h2 id="text-part">Text</h2>
${textPart}
</section>
<section aria-labelledby="all-headers">
<h2 id="all-headers">Headers</h2>
<table class="headers">
<caption>Every header of the message as a mail client receives it (encoded words decoded; the raw source has them as sent)</caption>
<tbody>
${headers.map(({ name, value }) => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>\n`)}</tbody>
</table>
</section>`,
  );
}

export function notFoundPage(): string {
  return layout(
    "Email not found",
    html`<h1>Email not found</h1>
<p>There is no email with this id. The outbox may have been cleared.</p>
<p><a href="/">← All emails</a></p>`,
  );
}
