import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { listPage, messagePage, notFoundPage } from "./pages";
import { SECRET_PATTERN, verifyMessage } from "./signature";
import type { CatcherStore } from "./store";

/** The list page's live refresh, the inbox's script (a browser script, so a file of its own). */
const liveScript = readFileSync(new URL("../live-refresh.js", import.meta.url), "utf8");

/** `?delay=` is capped here: longer than any sender's timeout is no more useful, only slower tests. */
export const MAX_DELAY_MS = 30_000;

/** Bodies above this are refused with 413: webhooks are small, and the catcher keeps them all in memory. */
const MAX_BODY_BYTES = 1024 * 1024;

class CatcherError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Route = [method: string, pattern: RegExp, handle: (request: Request, params: string[]) => Response | Promise<Response>];

const secretSchema = z.object({
  path: z.string().startsWith("/", "path must start with /"),
  /** "" or null forgets the path's secret. */
  secret: z.union([z.literal(""), z.null(), z.string().regex(SECRET_PATTERN, "secret must be whsec_ followed by base64")]),
});

const controlsSchema = z.object({
  status: z.coerce.number().int().min(200).max(599).default(200),
  delay: z.coerce.number().int().nonnegative().default(0),
});

/**
 * The HTTP surface: any POST outside the catcher's own few paths is caught; `GET /` and
 * `/messages/:id` are the pages, `/api/*` the JSON API for tests and scripts.
 */
export function createCatcherHandler(store: CatcherStore): (request: Request) => Promise<Response> {
  const withVerification = (path?: string) =>
    store.list({ path }).map((message) => ({ message, verification: verifyMessage(message, store.secretFor(message.path)) }));

  /** Stores the request first, so it shows while a `delay` runs, then answers as its query asks. */
  const catchRequest = async (request: Request) => {
    const url = new URL(request.url);
    const controls = controlsSchema.safeParse({
      status: url.searchParams.get("status") ?? undefined,
      delay: url.searchParams.get("delay") ?? undefined,
    });
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > MAX_BODY_BYTES) throw new CatcherError(413, `Bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    const body = await request.text();
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new CatcherError(413, `Bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    const status = controls.success ? controls.data.status : 400;
    await store.add({
      method: request.method,
      path: url.pathname,
      query: url.search,
      headers: Object.fromEntries(request.headers),
      body,
      responseStatus: status,
    });
    if (!controls.success) throw new CatcherError(400, `status must be 200–599 and delay a number of milliseconds: ${z.prettifyError(controls.error)}`);
    const delay = Math.min(controls.data.delay, MAX_DELAY_MS);
    if (delay > 0) await sleep(delay, undefined, { signal: request.signal }).catch(() => {});
    return Response.json(status < 300 ? { ok: true } : { ok: false, status }, { status });
  };

  const showList = (request: Request) =>
    page(200, listPage(withVerification(), store.listSecrets(), new URL(request.url).origin));

  const showMessage = (_request: Request, [id = ""]: string[]) => {
    const message = store.get(id);
    return message ? page(200, messagePage(message, verifyMessage(message, store.secretFor(message.path)))) : page(404, notFoundPage());
  };

  // The page's forms post here and come back with 303 (post/redirect/get), so they work
  // without JavaScript, and a reload doesn't post again.
  const saveSecretForm = async (request: Request) => {
    refuseCrossSite(request);
    const form = await request.formData().catch(() => new FormData());
    const parsed = secretSchema.safeParse({ path: normalisePath(String(form.get("path") ?? "")), secret: String(form.get("secret") ?? "").trim() });
    if (!parsed.success) throw new CatcherError(400, z.prettifyError(parsed.error));
    await store.setSecret(parsed.data.path, parsed.data.secret || null);
    return Response.redirect(new URL("/", request.url), 303);
  };

  const deleteAllForm = async (request: Request) => {
    refuseCrossSite(request);
    await store.clear();
    return Response.redirect(new URL("/", request.url), 303);
  };

  /** Server-sent events: `change` after every catch, clear or secret, which catcher.js listens to. */
  const streamChanges = (request: Request) => {
    let unsubscribe = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const encoder = new TextEncoder();
        const push = (chunk: string) => controller.enqueue(encoder.encode(chunk));
        push(": connected\n\n");
        unsubscribe = store.subscribe(() => push("event: change\ndata: \n\n"));
        request.signal.addEventListener("abort", () => unsubscribe());
      },
      cancel: () => unsubscribe(),
    });
    return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
  };

  const serveScript = () =>
    new Response(liveScript, { headers: { "content-type": "text/javascript; charset=utf-8", "x-content-type-options": "nosniff" } });

  const listMessages = (request: Request) => {
    const path = new URL(request.url).searchParams.get("path") || undefined;
    return Response.json({
      messages: withVerification(path).map(({ message, verification }) => ({
        ...message,
        signature: verification.signature,
        timestamp: verification.timestamp,
      })),
    });
  };

  const clearMessages = async () => {
    await store.clear();
    return new Response(null, { status: 204 });
  };

  const putSecret = async (request: Request) => {
    const parsed = secretSchema.safeParse(await request.json().catch(() => undefined));
    if (!parsed.success) throw new CatcherError(400, z.prettifyError(parsed.error));
    await store.setSecret(parsed.data.path, parsed.data.secret || null);
    return Response.json({ path: parsed.data.path, secret: parsed.data.secret ? "set" : "removed" });
  };

  const listSecrets = () => Response.json({ paths: store.listSecrets().map(({ path }) => path) });

  // The catcher's own paths; a POST anywhere else is a webhook. /secrets and
  // /messages/delete-all are posted by its forms, so endpoints can't use them.
  const routes: Route[] = [
    ["GET", /^\/$/, showList],
    ["GET", /^\/messages\/([^/]+)$/, showMessage],
    ["POST", /^\/secrets$/, saveSecretForm],
    ["POST", /^\/messages\/delete-all$/, deleteAllForm],
    ["GET", /^\/events$/, streamChanges],
    ["GET", /^\/catcher\.js$/, serveScript],
    ["GET", /^\/api\/messages$/, listMessages],
    ["DELETE", /^\/api\/messages$/, clearMessages],
    ["PUT", /^\/api\/secrets$/, putSecret],
    ["GET", /^\/api\/secrets$/, listSecrets],
  ];

  function route(request: Request): Response | Promise<Response> {
    const { pathname } = new URL(request.url);
    const found = routes.flatMap(([method, pattern, handle]) => {
      const match = pattern.exec(pathname);
      return match && method === request.method ? [{ handle, params: match.slice(1).map(decodeURIComponent) }] : [];
    })[0];
    if (found) return found.handle(request, found.params);
    if (request.method === "POST") return catchRequest(request);
    throw new CatcherError(404, "Not found. POST to any path to have it caught; GET / lists what was.");
  }

  return async (request) => {
    try {
      return await route(request);
    } catch (error) {
      if (!(error instanceof CatcherError)) throw error;
      return Response.json({ ok: false, error: error.message }, { status: error.status });
    }
  };
}

/** What people paste: `my-endpoint`, `/my-endpoint`, or the whole URL the app was given. */
function normalisePath(input: string): string {
  const trimmed = input.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).pathname;
    } catch {
      return trimmed;
    }
  }
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/** The forms change data, so another site's page mustn't post them (a local server is reachable from any tab). */
function refuseCrossSite(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") throw new CatcherError(403, "The catcher only accepts its own forms.");
}

// Bodies are shown as escaped text; the page runs only its own /catcher.js.
const pageHeaders = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
};

function page(status: number, html: string): Response {
  // A copy each time: @hono/node-server writes Content-Length into the object it is given.
  return new Response(html, { status, headers: { ...pageHeaders } });
}
