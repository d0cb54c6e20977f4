import type { User } from "@supabase/supabase-js";
import { unstable_rethrow } from "next/navigation";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { createServerSupabase } from "@/lib/supabase/server";
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody } from "./body";
import { HttpError, type ErrorBody } from "./errors";

type Supabase = Awaited<ReturnType<typeof createServerSupabase>>;

type RouteOptions<Body extends z.ZodType | undefined, Auth extends boolean> = {
  /** Require a signed-in user (401 otherwise). Defaults to true: opt out for public endpoints. */
  auth?: Auth;
  /** Schema for the JSON body; the handler receives the parsed value. */
  body?: Body;
  /** Largest body accepted, in bytes (413 beyond). */
  maxBodyBytes?: number;
};

export type HandlerContext<Body extends z.ZodType | undefined, Auth extends boolean> = {
  request: NextRequest;
  /** Acts as the caller, so row-level security applies; writes session cookies. */
  supabase: Supabase;
  body: Body extends z.ZodType ? z.output<Body> : undefined;
} & (Auth extends true ? { user: User } : unknown);

/**
 * Wraps a route handler: authenticates the caller, parses and validates the JSON body,
 * and turns thrown `HttpError`s into JSON error responses (anything else is logged and
 * answered with a generic 500), so the handler only states the endpoint's contract:
 *
 *   export const POST = route({ auth: false, body: signInSchema }, async ({ supabase, body }) => {
 *     const user = await signIn(supabase, body);
 *     return Response.json({ user: { id: user.id, email: user.email } });
 *   });
 */
export function route<Body extends z.ZodType | undefined = undefined, Auth extends boolean = true>(
  options: RouteOptions<Body, Auth>,
  handler: (context: HandlerContext<Body, Auth>) => Response | Promise<Response>,
): (request: NextRequest) => Promise<Response> {
  const requireUser = options.auth ?? true;

  return async (request) => {
    try {
      const supabase = await createServerSupabase();
      // Authenticate first: anonymous callers learn nothing about the body's schema.
      const user = requireUser ? await authenticate(supabase) : undefined;
      const body = options.body
        ? await parseJsonBody(request, options.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
        : undefined;

      // The conditional context type can't be narrowed from `requireUser` at runtime.
      return await handler({ request, supabase, body, user } as HandlerContext<Body, Auth>);
    } catch (error) {
      // Let Next's own control flow (redirect(), notFound()) through.
      unstable_rethrow(error);
      return errorResponse(error, request);
    }
  };
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
    return Response.json(error.toBody(), { status: error.status });
  }
  console.error(`${request.method} ${request.nextUrl.pathname} failed:`, error);
  const body: ErrorBody = {
    error: { code: "internal_error", message: "Something went wrong on our side. Please try again." },
  };
  return Response.json(body, { status: 500 });
}
