/**
 * What an outbound call's span may say about its URL. undici's instrumentation records
 * the whole URL, and two parts of ours must not reach a tracing vendor: the Inngest event
 * key, which is a path segment of the event API (`POST /e/<key>`), and query values, where
 * PostgREST filters carry ids, email addresses and token hashes (`?email=eq.…`). Parameter
 * names stay: they say which filter ran, which is what a trace is read for.
 */
export const REDACTED = "[REDACTED]";

const EVENT_API_PATH = /^\/e\/[^/]+/;

export function redactedUrlAttributes(origin: string, path: string): Record<"url.full" | "url.path" | "url.query", string> {
  const url = new URL(path, origin);
  const pathname = url.pathname.replace(EVENT_API_PATH, `/e/${REDACTED}`);
  const names = [...url.searchParams.keys()];
  const query = names.length === 0 ? "" : `?${names.map((name) => `${encodeURIComponent(name)}=${REDACTED}`).join("&")}`;
  return { "url.full": `${url.origin}${pathname}${query}`, "url.path": pathname, "url.query": query };
}
