import type { User } from "@supabase/supabase-js";
import { unstable_rethrow } from "next/navigation";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { getCurrentMembership, type Membership } from "@/lib/auth/viewer";
import { createServerSupabase } from "@/lib/supabase/server";
import { authorizeBearer } from "./bearer";
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody } from "./body";
import { HttpError, type ErrorBody } from "./errors";
import { parseQuery } from "./query";
import { refuseCrossSite } from "./same-origin";

type Supabase = Awaited<ReturnType<typeof createServerSupabase>>;

type RouteOptions<
  Body extends z.ZodType | undefined,
  Auth extends boolean,
  Params extends z.ZodType | undefined,
  Query extends z.ZodType | undefined,
> = {
  /** Require a signed-in user (401 otherwise). Defaults to true: opt out for public endpoints. */
  auth?: Auth;
  /**
   * Require `Authorization: Bearer <secret>` (401 otherwise), for machine callers such as
   * a monitor; read when a request comes. A function returning undefined turns the
   * endpoint off: it answers 404, as if it didn't exist.
   */
  bearer?: () => string | undefined;
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
};

export type HandlerContext<
  Body extends z.ZodType | undefined,
  Auth extends boolean,
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
> = {
  request: NextRequest;
  /** Acts as the caller, so row-level security applies; writes session cookies. */
  supabase: Supabase;
  body: Body extends z.ZodType ? z.output<Body> : undefined;
  query: Query extends z.ZodType ? z.output<Query> : undefined;
  params: Params extends z.ZodType ? z.output<Params> : undefined;
} & (Auth extends true
  ? {
      user: User;
      /** The organisation the caller acts in, looked up on first call (not every route needs it). */
      membership: () => Promise<Membership>;
    }
  : unknown);

/** What Next passes a route handler besides the request. */
type SegmentData = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * Wraps a route handler: authenticates the caller, parses and validates the query and the JSON body,
 * and turns thrown `HttpError`s into JSON error responses (anything else is logged and
 * answered with a generic 500), so the handler only states the endpoint's contract:
 *
 *   export const POST = route({ auth: false, body: signInSchema }, async ({ supabase, body }) => {
 *     const user = await signIn(supabase, body);
 *     return Response.json({ user: { id: user.id, email: user.email } });
 *   });
 */
export function route<
  Body extends z.ZodType | undefined = undefined,
  Auth extends boolean = true,
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
>(
  options: RouteOptions<Body, Auth, Params, Query>,
  handler: (context: HandlerContext<Body, Auth, Params, Query>) => Response | Promise<Response>,
): (request: NextRequest, segment: SegmentData) => Promise<Response> {
  const requireUser = options.auth ?? true;

  return async (request, segment) => {
    try {
      if (!options.allowCrossSite) refuseCrossSite(request);
      if (options.bearer) authorizeBearer(request, options.bearer());
      const supabase = await createServerSupabase();
      // Authenticate first: anonymous callers learn nothing about the body's schema.
      const user = requireUser ? await authenticate(supabase) : undefined;
      let current: Promise<Membership> | undefined;
      const membership = user ? () => (current ??= getCurrentMembership(supabase, user.id)) : undefined;
      const params = options.params ? parseParams(options.params, await segment.params) : undefined;
      const query = options.query ? parseQuery(options.query, request.nextUrl.searchParams) : undefined;
      const body = options.body
        ? await parseJsonBody(request, options.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
        : undefined;

      // The conditional context type can't be narrowed from `requireUser` at runtime.
      return await handler({ request, supabase, body, query, params, user, membership } as HandlerContext<
        Body,
        Auth,
        Params,
        Query
      >);
    } catch (error) {
      // Let Next's own control flow (redirect(), notFound()) through.
      unstable_rethrow(error);
      return errorResponse(error, request);
    }
  };
}

function parseParams(schema: z.ZodType, params: unknown): unknown {
  const result = schema.safeParse(params);
  if (!result.success) throw new HttpError(404, "not_found", "Nothing here.");
  return result.data;
}

async function authenticate(supabase: Supabase): Promise<User> {
  const {
    data: { user },
  } = await supabase.auth.getUser();
  if (!user) throw new HttpError(401, "unauthorized", "Sign in to continue.");
  return user;
}

function errorResponse(error: unknown, request: NextRequest): Response {
  if (error instanceof HttpError) {
    return Response.json(error.toBody(), { status: error.status, headers: error.headers });
  }
  console.error(`${request.method} ${request.nextUrl.pathname} failed:`, error);
  const body: ErrorBody = {
    error: { code: "internal_error", message: "Something went wrong on our side. Please try again." },
  };
  return Response.json(body, { status: 500 });
}
