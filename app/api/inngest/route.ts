import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { env } from "@/lib/env";
import { recordInngestContact, type ContactKind } from "@/lib/health/inngest-contacts";
import { HttpError, type ErrorBody } from "@/lib/http/errors";
import { refuseBrowsers } from "@/lib/http/same-origin";
import { logRequest } from "@/lib/observability/log";
import { createServiceSupabase } from "@/lib/supabase/service";

/** Seconds one request may run (Vercel); equal to vercel.json's, see below. */
export const maxDuration = 300;

/** Where Inngest reaches this endpoint; a sync registers APP_URL + this path. */
const SERVE_PATH = "/api/inngest";

let handlers: ReturnType<typeof serve> | undefined;

/**
 * The SDK's handlers, made on first request so builds need no environment.
 *
 * - The origin comes from APP_URL, never from the request: otherwise a sync (`PUT`) with a
 *   forged Host header makes the SDK register that host's URL with Inngest Cloud.
 * - In cloud mode a sync must be signed. Inngest Cloud's syncs (dashboard, Vercel
 *   integration, REST API) are; an unsigned PUT could otherwise re-register the app with a
 *   query string of its choosing (`?probe=trust` turns every step call into a no-op).
 * - env() refuses a production deployment that points at a dev server before the SDK
 *   reads INNGEST_DEV.
 *
 * The route's max duration is stated in vercel.json, which inngest/client.ts reads for the
 * checkpoint limit; `maxDuration` below repeats it because Next.js only reads a literal
 * here (tests/inngest-cloud/max-duration.test.ts keeps the two equal).
 */
function inngestHandlers() {
  handlers ??= serve({
    client: inngest,
    functions,
    serveOrigin: new URL(env().APP_URL).origin,
    servePath: SERVE_PATH,
    enableUnauthedSync: false,
  });
  return handlers;
}

/**
 * Before the SDK: a page in a browser is refused (403). Only Inngest's servers call this
 * endpoint, and against a dev server (INNGEST_DEV) the SDK checks no signature, so any web
 * page the developer has open could otherwise POST a forged event and run a function.
 *
 * The SDK parses a POST or PUT body with JSON.parse before anything else and lets the
 * SyntaxError escape (a 500). That is the caller's mistake: answer 400. Every error of the
 * functions themselves is caught and reported by the SDK, so this catches nothing else.
 */
async function guarded(request: NextRequest, handle: () => Promise<Response>): Promise<Response> {
  return logged(request, async () => {
    try {
      refuseBrowsers(request);
      return await handle();
    } catch (error) {
      if (error instanceof HttpError) return Response.json(error.toBody(), { status: error.status });
      if (!(error instanceof SyntaxError)) throw error;
      const body: ErrorBody = { error: { code: "invalid_json", message: "The request body is not valid JSON." } };
      return Response.json(body, { status: 400 });
    }
  });
}

/**
 * One `http.request` line per request, as route() writes for the other endpoints: this is
 * the busiest one. An error escaping the SDK is answered 500 by Next, and logged so.
 */
async function logged(request: NextRequest, handle: () => Promise<Response>): Promise<Response> {
  const started = performance.now();
  let status = 500;
  try {
    const response = await handle();
    status = response.status;
    return response;
  } finally {
    logRequest({ method: request.method, route: SERVE_PATH, status, durationMs: Math.round(performance.now() - started) });
  }
}

/**
 * Notes that Inngest reached the app, for the console's worker health and the
 * `worker_silent` alert. The SDK answers a request whose signature fails 401, so any other
 * answer to a call means its signature verified (in cloud mode), whatever the function's
 * attempt made of it: a step failing during a provider outage (500, or 400 for good) is
 * still Inngest calling. A sync counts only once the SDK answered it 2xx: a failed one
 * has not synced the app. Our own refusals (a browser's 403, invalid JSON's 400) never get
 * here. At most one write a minute per kind.
 */
async function noteContact(kind: ContactKind, response: Response): Promise<Response> {
  const reached = kind === "call" ? response.status !== 401 && response.status !== 403 : response.ok;
  if (reached) await recordInngestContact(createServiceSupabase(), kind);
  return response;
}

/** Inngest calls this endpoint to sync the app and to run each step (see inngest/). */
export const GET = (request: NextRequest, context: unknown) => logged(request, () => inngestHandlers().GET(request, context));
export const POST = (request: NextRequest, context: unknown) =>
  guarded(request, async () => noteContact("call", await inngestHandlers().POST(request, context)));
export const PUT = (request: NextRequest, context: unknown) =>
  guarded(request, async () => noteContact("sync", await inngestHandlers().PUT(request, context)));
