import { createServerClient, type SetAllCookies } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { adminScopeOf, readViewerRow } from "@/lib/auth/context";
import { safeNextPath } from "@/lib/auth/redirect";
import { AuthUnavailableError, getSessionUser, type SessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import type { Database } from "./database.types";
import type { Db } from "./db";
import { sessionCookieOptions } from "./server";

const PROTECTED_PREFIXES = ["/dashboard", "/admin"];
const GUEST_ONLY_PATHS = new Set(["/sign-in", "/sign-up"]);

/** A path no route can match: folders starting with `_` are private in the App Router. */
const NOWHERE = "/_nowhere";

type CookiesToSet = Parameters<SetAllCookies>[0];

/**
 * Refreshes the Supabase session cookie before the page renders (server components
 * can't write cookies), then keeps signed-out visitors out of the dashboard and
 * signed-in users off the sign-in and sign-up pages.
 */
export async function updateSession(request: NextRequest): Promise<NextResponse> {
  const refreshed: { cookies: CookiesToSet; headers: Record<string, string> } = {
    cookies: [],
    headers: {},
  };
  const { SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY } = env();

  const supabase = createServerClient<Database>(SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, {
    cookieOptions: sessionCookieOptions(),
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll(cookiesToSet, headers) {
        // Update the request too, so the page rendered after this sees the new session.
        for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
        refreshed.cookies.push(...cookiesToSet);
        Object.assign(refreshed.headers, headers);
      },
    },
  });

  // Verifies the access token locally against the project's JWKS, refreshing an expired
  // one first (which calls setAll). Run nothing between it and createServerClient.
  const user = await sessionUserFor(request, supabase);

  const destination = redirectFor(request, user !== null);
  const response = destination
    ? NextResponse.redirect(destination)
    : user && isAdminPath(request.nextUrl.pathname) && !(await administersSomething(supabase))
      ? // Someone who administers nothing gets exactly what a missing page gives, title and
        // payload alike: rendering the admin page's tree, even to a 404, would name it.
        NextResponse.rewrite(new URL(NOWHERE, request.url), { request })
      : NextResponse.next({ request });
  // A redirect must carry the refreshed session too, or the browser keeps a spent token.
  for (const { name, value, options } of refreshed.cookies) {
    response.cookies.set(name, value, options);
  }
  for (const [key, value] of Object.entries(refreshed.headers)) response.headers.set(key, value);
  return response;
}

/**
 * The verified session's user. When Supabase Auth can't be reached (to refresh, or for the
 * JWKS), pages behind sign-in fail rather than send a signed-in user to sign in again;
 * public pages render as for a visitor.
 */
async function sessionUserFor(request: NextRequest, supabase: Db): Promise<SessionUser | null> {
  try {
    return await getSessionUser(supabase);
  } catch (error) {
    if (error instanceof AuthUnavailableError && !isProtectedPath(request.nextUrl.pathname)) return null;
    throw error;
  }
}

/** One lookup of the viewer's context; a user deleted since the token was issued administers nothing. */
async function administersSomething(supabase: Db): Promise<boolean> {
  const row = await readViewerRow(supabase);
  return row !== null && adminScopeOf(row) !== null;
}

function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

function isAdminPath(pathname: string): boolean {
  return pathname === "/admin" || pathname.startsWith("/admin/");
}

function redirectFor(request: NextRequest, signedIn: boolean): URL | null {
  const { pathname, search, searchParams } = request.nextUrl;

  if (!signedIn && isProtectedPath(pathname)) {
    const url = new URL("/sign-in", request.url);
    url.searchParams.set("next", `${pathname}${search}`);
    return url;
  }

  if (signedIn && GUEST_ONLY_PATHS.has(pathname)) {
    return new URL(safeNextPath(searchParams.get("next")), request.url);
  }

  return null;
}
