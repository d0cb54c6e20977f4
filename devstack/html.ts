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
