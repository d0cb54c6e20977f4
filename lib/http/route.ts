import { cookies } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { NextRequest } from "next/server";
import { z } from "zod";
import type { AdminScope } from "@/lib/admin/access";
import { getViewerContext, type ViewerContext } from "@/lib/auth/context";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import type { Membership } from "@/lib/auth/viewer";
import { flushTracesAfterAnswer } from "@/lib/observability/flush";
import { log, logRequest } from "@/lib/observability/log";
import { serverSupabaseFor } from "@/lib/supabase/server";
import { createServiceSupabase } from "@/lib/supabase/service";
import { authorizeBearer } from "./bearer";
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody } from "./body";
import { PAGE_ORGANISATION_HEADER } from "./client";
import { HttpError, type ErrorBody } from "./errors";
import { parseQuery } from "./query";
import { refuseCrossSite } from "./same-origin";

type Supabase = ReturnType<typeof serverSupabaseFor>;
type ServiceSupabase = ReturnType<typeof createServiceSupabase>;

/**
 * Who may call: anyone (`false`), a signed-in user (401 otherwise), or someone who
 * administers a team organisation or the whole install. Admin endpoints answer others
 * with the 404 of a place that doesn't exist.
 */
export type AuthLevel = false | "user" | "team-admin" | "platform-admin";

type Output<Schema extends z.ZodType | undefined> = Schema extends z.ZodType ? z.output<Schema> : undefined;

type RouteOptions<
  Body extends z.ZodType | undefined,
  Auth extends AuthLevel,
  Params extends z.ZodType | undefined,
  Query extends z.ZodType | undefined,
> = {
  /** Defaults to "user": opt out with `false` for public endpoints. */
  auth?: Auth;
  /**
   * Require `Authorization: Bearer <secret>` (401 otherwise), for machine callers such as
   * a monitor; read when a request comes, from the parsed query (so one endpoint can ask
   * for it only for some requests). `false`: this request needs none; undefined: the
   * endpoint is off and answers 404, as if it didn't exist.
   */
  bearer?: (query: Output<Query>) => string | false | undefined;
  /** Schema for the JSON body; the handler receives the parsed value. */
  body?: Body;
  /** Schema for the query string; a parameter given twice is refused (see parseQuery). */
  query?: Query;
  /** Schema for the dynamic route segments; a value that doesn't fit is a 404 (it names nothing). */
  params?: Params;
  /** Largest body accepted, in bytes (413 beyond). */
  maxBodyBytes?: number;
  /**
   * Accept state-changing requests from other sites (refused with 403 by default, see
   * refuseCrossSite). Only for endpoints whose proof is in the request itself, such as a
   * signed one-click unsubscribe link.
   */
  allowCrossSite?: boolean;
  /**
   * Accept a request from a page rendered for another organisation than the caller's
   * current one (its `Offload-Organisation` header, see checkPageOrganisation), for an
   * endpoint that doesn't act in the current organisation, or is how it changes
   * (`PUT /api/organisations/current`). Signed-in routes refuse such requests by default.
   */
  allowStaleOrganisation?: boolean;
};

type SignedIn = {
  user: SessionUser;
  /** The organisation the caller acts in, looked up on first call (not every route needs it). */
  membership: () => Promise<Membership>;
};

export type HandlerContext<
  Body extends z.ZodType | undefined,
  Auth extends AuthLevel,
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
> = {
  request: NextRequest;
  /** Acts as the caller, so row-level security applies; writes session cookies. */
  supabase: Supabase;
  /**
   * The service-role client, made on first call. It bypasses row-level security: use it
   * only for what the caller's auth level, scope or a check of yours allows.
   */
  service: () => ServiceSupabase;
  body: Output<Body>;
  query: Output<Query>;
  params: Output<Params>;
} & ([Auth] extends [false] ? unknown : SignedIn) &
  ([Auth] extends ["team-admin" | "platform-admin"] ? { scope: AdminScope } : unknown);

/** What Next passes a route handler besides the request. */
type SegmentData = { params: Promise<Record<string, string | string[] | undefined>> };

const notFound = () => new HttpError(404, "not_found", "Nothing here.");

/**
 * Wraps a route handler so it only states the endpoint's contract:
 *
 *   export const GET = route({ auth: "team-admin", query: auditQuerySchema }, async ({ scope, query, service }) =>
 *     Response.json(await listAudit(service(), scope, query)),
 *   );
 *
 * Each request goes through, in this order: the cross-site check (state-changing methods),
 * the bearer token, the session (401), the auth level (404 for a non-admin), the page's
 * organisation (400, 409 `organisation_changed`, see checkPageOrganisation), the route
 * segments (404), the query string (400), and only then the JSON body (415, 413, 400), so
 * a caller who may not use the endpoint learns nothing about its input and a refused
 * request's body is never read. The handler's answer on an authenticated route gets
 * `Cache-Control: no-store` unless it set its own, so private data never sits in a cache.
 *
 * Answers follow one envelope rule:
 * - success (2xx, 304): a JSON object, never a bare array or scalar: the resource itself
 *   (`GET /api/jobs/:id`, whose `error` field is the job's), an object naming what it holds
 *   (`{ job }`, `{ profile }`, `{ preview }`), or a page `{ <items>, nextCursor }`; or no
 *   body (204, 304).
 * - error (4xx, 5xx): `{ error: { code, message, fields? } }`, made only from a thrown `HttpError`
 *   (fields from `invalidRequest`), with nothing beside `error` but the `extras` an
 *   endpoint documents (409 `selection_changed` carries `preview`; 409 `organisation_changed`
 *   carries the current `organisation`, `{ id, name }`). Anything else thrown is
 *   logged and answered with a generic 500.
 */
export function route<
  Body extends z.ZodType | undefined = undefined,
  Auth extends AuthLevel = "user",
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
>(
  options: RouteOptions<Body, Auth, Params, Query>,
  handler: (context: HandlerContext<Body, Auth, Params, Query>) => Response | Promise<Response>,
): (request: NextRequest, segment: SegmentData) => Promise<Response> {
  const auth: AuthLevel = options.auth ?? "user";

  return async (request, segment) => {
    const started = performance.now();
    let response: Response;
    try {
      response = await handle(request, segment);
    } catch (error) {
      // Let Next's own control flow (redirect(), notFound()) through.
      unstable_rethrow(error);
      response = errorResponse(error, request);
    }
    const answer = auth === false ? response : withNoStore(response);
    logRequest({
      method: request.method,
      // A route without dynamic segments gets no params (undefined) from Next.
      route: routePattern(request.nextUrl.pathname, (await segment?.params) ?? {}),
      status: answer.status,
      durationMs: Math.round(performance.now() - started),
    });
    flushTracesAfterAnswer();
    return answer;
  };

  async function handle(request: NextRequest, segment: SegmentData): Promise<Response> {
    if (!options.allowCrossSite) refuseCrossSite(request);
    const parseQueryString = () =>
      options.query ? parseQuery(options.query, request.nextUrl.searchParams) : undefined;
    // A bearer that depends on the query needs it first; such machine endpoints are public anyway.
    let query = options.bearer ? parseQueryString() : undefined;
    if (options.bearer) {
      const secret = options.bearer(query as Output<Query>);
      if (secret !== false) authorizeBearer(request, secret);
    }

    const cookieStore = await cookies();
    let userClient: Supabase | undefined;
    const supabase = () => (userClient ??= serverSupabaseFor(cookieStore));
    let serviceClient: ServiceSupabase | undefined;
    const service = () => (serviceClient ??= createServiceSupabase());

    let signedIn: SignedIn | undefined;
    let scope: AdminScope | undefined;
    if (auth !== false) {
      const user = await getSessionUser(supabase());
      if (!user) throw new HttpError(401, "unauthorized", "Sign in to continue.");
      // One lookup answers both membership and scope, made at most once per request.
      let viewer: Promise<ViewerContext> | undefined;
      const viewerContext = () => (viewer ??= getViewerContext(supabase(), user));
      signedIn = { user, membership: async () => (await viewerContext()).membership };
      if (auth === "team-admin" || auth === "platform-admin") {
        const { admin } = await viewerContext();
        if (!admin || (auth === "platform-admin" && !admin.platformAdmin)) throw notFound();
        scope = admin;
      }
      if (!options.allowStaleOrganisation) await checkPageOrganisation(request, viewerContext);
    }

    const params = options.params ? parseParams(options.params, await segment.params) : undefined;
    if (!options.bearer) query = parseQueryString();
    const body = options.body
      ? await parseJsonBody(request, options.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
      : undefined;

    // The context's type depends on `Auth`, which can't be narrowed from `auth` at runtime.
    const context = {
      request,
      // Made on first use: a public endpoint that never reads it (liveness) doesn't pay for a client.
      get supabase() {
        return supabase();
      },
      service,
      body,
      query,
      params,
      ...signedIn,
      scope,
    };
    return handler(context as HandlerContext<Body, Auth, Params, Query>);
  }
}

/**
 * The route a request matched, as its file names it (`/api/jobs/[id]`): the path with each
 * dynamic segment's value put back as its name, so a log groups by endpoint, not by id.
 */
export function routePattern(pathname: string, params: Record<string, string | string[] | undefined>): string {
  const segments = pathname.split("/");
  const decoded = segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  for (const [name, value] of Object.entries(params)) {
    const values = typeof value === "string" ? [value] : (value ?? []);
    if (values.length === 0) continue;
    const at = decoded.findIndex((_, i) => i > 0 && values.every((part, j) => decoded[i + j] === part));
    if (at < 0) continue;
    const label = typeof value === "string" ? `[${name}]` : `[...${name}]`;
    segments.splice(at, values.length, label);
    decoded.splice(at, values.length, label);
  }
  return segments.join("/");
}

const pageOrganisationSchema = z.guid();

/**
 * Refuses a request from a page rendered for another organisation than the one the caller
 * now acts in: they switched in another tab or on another device, and the page (its header,
 * its form) still shows the old one, while the API follows the current one. Without the
 * check, what they ask for there would land in an organisation the page doesn't show.
 * No header (an API client, curl) is no check.
 */
async function checkPageOrganisation(request: NextRequest, viewerContext: () => Promise<ViewerContext>): Promise<void> {
  const header = request.headers.get(PAGE_ORGANISATION_HEADER);
  if (header === null) return;
  const parsed = pageOrganisationSchema.safeParse(header.trim());
  if (!parsed.success) {
    throw new HttpError(400, "invalid_request", `The ${PAGE_ORGANISATION_HEADER} header must be an organisation id.`);
  }
  const { membership, memberships } = await viewerContext();
  const current = membership.organisation;
  if (parsed.data.toLowerCase() === current.id.toLowerCase()) return;
  const stillMember = memberships.some(({ organisation }) => organisation.id.toLowerCase() === parsed.data.toLowerCase());
  const message = stillMember
    ? `You switched to ${current.name} in another tab or on another device. Reload this page to work there.`
    : `You're no longer in the organisation this page shows; you now work in ${current.name}. Reload this page to work there.`;
  throw new HttpError(409, "organisation_changed", message, undefined, undefined, {
    organisation: { id: current.id, name: current.name },
  });
}

function parseParams(schema: z.ZodType, params: unknown): unknown {
  const result = schema.safeParse(params);
  if (!result.success) throw notFound();
  return result.data;
}

function withNoStore(response: Response): Response {
  if (response.headers.has("cache-control")) return response;
  try {
    response.headers.set("Cache-Control", "no-store");
    return response;
  } catch {
    // Some responses (Response.redirect, a fetched one) have immutable headers.
    const copy = new Response(response.body, response);
    copy.headers.set("Cache-Control", "no-store");
    return copy;
  }
}

function errorResponse(error: unknown, request: NextRequest): Response {
  if (error instanceof HttpError) {
    return Response.json(error.toBody(), { status: error.status, headers: error.headers });
  }
  log().error({ err: error, method: request.method, path: request.nextUrl.pathname }, "a route handler threw");
  const body: ErrorBody = {
    error: { code: "internal_error", message: "Something went wrong on our side. Please try again." },
  };
  return Response.json(body, { status: 500 });
}
