import { html as honoHtml, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * The devstack's pages (the inbox, the Inngest runs): hono's `html` tagged template, which
 * escapes every interpolation unless it is itself escaped markup (`html` or `raw`), so an
 * email or a run's output can't inject any.
 */
export type Html = HtmlEscapedString;

/** Synchronous, as no page interpolates a promise: a page is a string, not a stream. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const markup = honoHtml(strings, ...values);
  if (markup instanceof Promise) throw new TypeError("A devstack page interpolated a promise; await it first.");
  return markup;
}

/** Markup the devstack wrote itself (its stylesheets), inserted as is. */
export { raw };

/** What sets one stand-in's pages apart: its name, a line on what it is, its styles and script. */
export type PageShell = {
  /** e.g. "devstack mail", after each page's own title and in the header. */
  app: string;
  tagline: string;
  styles: Html;
  /** The page's live-refresh script, e.g. "/inbox.js", told where changes are announced. */
  liveScript?: { src: string; changes: string };
};

/** A whole devstack page: one document shape for every stand-in, so they read alike. */
export function page(shell: PageShell, title: string, body: Html): string {
  const script = shell.liveScript
    ? html`<script src="${shell.liveScript.src}" data-changes="${shell.liveScript.changes}" defer></script>`
    : "";
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${shell.app}</title>
<link rel="icon" href="data:,">
<style>${shell.styles}</style>
${script}
</head>
<body>
<header><a href="/"><strong>${shell.app}</strong></a><span class="muted">${shell.tagline}</span></header>
<main>
${body}
</main>
</body>
</html>
`.toString();
}
