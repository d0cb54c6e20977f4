import { createServerClient, type SetAllCookies } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { getAdminScope } from "@/lib/admin/access";
import { safeNextPath } from "@/lib/auth/redirect";
import { env } from "@/lib/env";
import type { Database } from "./database.types";
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

  // getUser() asks the Auth server, so a revoked session is noticed, and refreshes an
  // expired access token (calling setAll). Run nothing between it and createServerClient.
  const {
    data: { user },
  } = await supabase.auth.getUser();

  const destination = redirectFor(request, user !== null);
  const response = destination
    ? NextResponse.redirect(destination)
    : user && isAdminPath(request.nextUrl.pathname) && !(await getAdminScope(supabase, user))
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

function isAdminPath(pathname: string): boolean {
  return pathname === "/admin" || pathname.startsWith("/admin/");
}

function redirectFor(request: NextRequest, signedIn: boolean): URL | null {
  const { pathname, search, searchParams } = request.nextUrl;

  const isProtected = PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  if (!signedIn && isProtected) {
    const url = new URL("/sign-in", request.url);
    url.searchParams.set("next", `${pathname}${search}`);
    return url;
  }

  if (signedIn && GUEST_ONLY_PATHS.has(pathname)) {
    return new URL(safeNextPath(searchParams.get("next")), request.url);
  }

  return null;
}
