import type { StoredEmail } from "./outbox";

/**
 * The inbox: server-rendered pages to read what the app sent. Everything interpolated into
 * `html` templates is escaped unless it is itself `Html`, so an email can't inject markup.
 */

class Html {
  constructor(readonly value: string) {}
}

function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, string, index) => out + fragment(values[index - 1]) + string));
}

function fragment(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(fragment).join("");
  if (value === null || value === undefined || value === false) return "";
  return String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const styles = new Html(`
:root { color-scheme: light dark; --muted: #595959; --line: #d0d0d0; --accent: #0b57d0; font: 15px/1.5 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --muted: #b0b0b0; --line: #474747; --accent: #a8c7fa; } }
body { margin: 0 auto; max-width: 72rem; padding: 0 1.5rem 3rem; }
header { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: baseline; padding: .75rem 0; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.muted { color: var(--muted); }
form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
input, button { font: inherit; padding: .3rem .6rem; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; color: var(--muted); padding-bottom: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
iframe { display: block; width: 100%; height: 70vh; resize: vertical; border: 1px solid var(--line); background: #fff; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 1rem; border: 1px solid var(--line); }
`);

function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · devstack mail</title>
<link rel="icon" href="data:,">
<style>${styles}</style>
</head>
<body>
<header><a href="/"><strong>devstack mail</strong></a><span class="muted">Resend's stand-in: nothing here left your machine.</span></header>
<main>
${body}
</main>
</body>
</html>
`.value;
}

const when = (iso: string) =>
  html`<time datetime="${iso}">${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}</time>`;

const emailLink = (email: StoredEmail) => `/inbox/${encodeURIComponent(email.id)}`;

/** `GET /`: every email, newest first, optionally only those to one recipient. */
export function inboxPage(emails: StoredEmail[], recipient: string): string {
  const count = `${emails.length} ${emails.length === 1 ? "email" : "emails"}${recipient ? ` to ${recipient}` : ""}, newest first`;
  const list =
    emails.length === 0
      ? html`<p>${recipient ? `No emails to ${recipient}.` : "No emails yet."}</p>
<p class="muted">Emails the app sends through the <code>resend</code> SDK appear here. Reload to see new ones.</p>`
      : html`<table>
<caption>${count}</caption>
<thead><tr><th scope="col">To</th><th scope="col">Subject</th><th scope="col">From</th><th scope="col">Sent</th></tr></thead>
<tbody>
${emails.map(
  (email) => html`<tr>
<td>${email.to.join(", ")}</td>
<td><a href="${emailLink(email)}">${email.subject || "(no subject)"}</a></td>
<td>${email.from}</td>
<td>${when(email.created_at)}</td>
</tr>
`,
)}</tbody>
</table>`;

  return layout(
    recipient ? `Emails to ${recipient}` : "Sent emails",
    html`<h1>Sent emails</h1>
<form method="get" action="/" role="search">
<label for="to">Recipient</label>
<input id="to" name="to" type="search" value="${recipient}" placeholder="someone@example.com" autocomplete="off">
<button type="submit">Filter</button>
${recipient && html`<a href="/">Show all</a>`}
</form>
${list}`,
  );
}

/** `GET /inbox/:id`: one email's envelope and headers, its HTML part sandboxed, and its text part. */
export function emailPage(email: StoredEmail): string {
  const fields: [label: string, value: string | Html | null][] = [
    ["From", email.from],
    ["To", email.to.join(", ")],
    ["Cc", email.cc.join(", ")],
    ["Bcc", email.bcc.join(", ")],
    ["Reply-To", email.reply_to.join(", ")],
    ["Subject", email.subject],
    ["Sent", when(email.created_at)],
    ["Scheduled for", email.scheduled_at && `${email.scheduled_at} (the devstack delivers at once)`],
    ...Object.entries(email.headers),
    ["Tags", email.tags.map((tag) => `${tag.name}=${tag.value}`).join(", ")],
    [
      "Attachments",
      email.attachments
        .map((file) => [file.filename ?? "(unnamed)", file.content_type, file.bytes === null ? null : `${file.bytes} bytes`].filter(Boolean).join(", "))
        .join("; "),
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
    email.subject || "(no subject)",
    html`<p><a href="/">← All emails</a></p>
<h1>${email.subject || "(no subject)"}</h1>
<dl>
${fields.filter(([, value]) => value).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>\n`)}</dl>
<section aria-labelledby="html-part">
<h2 id="html-part">HTML</h2>
${htmlPart}
</section>
<section aria-labelledby="text-part">
<h2 id="text-part">Text</h2>
${textPart}
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
