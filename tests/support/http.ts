import { randomUUID } from "node:crypto";
import { latestAuthLink } from "./auth-mail";

/**
 * A signed-in API client for the app: signs a user up through /api/auth/sign-up, opens
 * the confirmation email's link (the app's /auth/confirm, which signs them in), and keeps
 * the session cookies the app sets, as a browser would.
 */
export type ApiClient = {
  email: string;
  userId: string;
  /** The session as a Cookie header, for clients other than `fetch` (load generators). */
  cookieHeader: () => string;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  json: <T>(path: string, init?: RequestInit & { body?: string }) => Promise<{ status: number; body: T; headers: Headers }>;
};

export async function signUpThroughApp(
  appUrl: string,
  displayName = "Tester",
  options: {
    email?: string;
    /** Where the Auth server's emails go; the integration tests' by default. */
    authMailUrl?: string;
    /** Sent with the sign-up, e.g. an X-Forwarded-For naming the client's address. */
    headers?: Record<string, string>;
  } = {},
): Promise<ApiClient> {
  const email = options.email ?? `api-${randomUUID()}@example.com`;
  const response = await fetch(`${appUrl}/api/auth/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify({ email, password: "correct horse battery", displayName }),
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string } };
  const cookies = new Map<string, string>();
  const remember = (headers: Headers) => {
    for (const cookie of headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  remember(response.headers);
  // The link points at the Site URL; open the same path on this app.
  const link = options.authMailUrl ? await latestAuthLink(email, options.authMailUrl) : await latestAuthLink(email);
  const confirmed = await fetch(`${appUrl}${link.pathname}${link.search}`, { redirect: "manual" });
  if (confirmed.status !== 307 || !confirmed.headers.get("location")?.endsWith("/dashboard")) {
    throw new Error(`confirmation failed: ${confirmed.status} → ${confirmed.headers.get("location")}`);
  }
  remember(confirmed.headers);

  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  const call = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("cookie", cookieHeader());
    if (typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
    const answer = await fetch(`${appUrl}${path}`, { ...init, headers });
    remember(answer.headers);
    return answer;
  };
  return {
    email,
    userId: user.id,
    cookieHeader,
    fetch: call,
    json: async <T,>(path: string, init?: RequestInit) => {
      const answer = await call(path, init);
      const text = await answer.text();
      return { status: answer.status, body: (text ? JSON.parse(text) : null) as T, headers: answer.headers };
    },
  };
}
