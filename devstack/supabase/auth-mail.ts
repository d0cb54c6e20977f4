import { createHash, randomInt, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ResendEmailDriver, type EmailDriver } from "@supabase/lite";
import type { QueryRunner } from "./migrations";

/**
 * Auth email for the devstack: the Auth server's confirmation, recovery and email-change
 * emails go to the local inbox (the Resend stand-in in devstack/mail), rendered from the
 * templates in supabase/config.toml, and the GoTrue behaviours around them that
 * @supabase/lite 0.10 lacks are filled in here (see devstack/README.md, "Gaps").
 */

/** Sends the Auth server's emails to a Resend-compatible API, such as the devstack's outbox. */
export function resendAuthMail(options: { url: string; from?: string }): EmailDriver {
  const resend = new ResendEmailDriver({
    // Any re_ key is accepted by the stand-in; a hosted project uses its own SMTP settings.
    apiKey: "re_devstack_auth",
    from: options.from ?? "Offload Auth <auth@offload.local>",
    endpoint: new URL("/emails", options.url).toString(),
  });
  // Hosted Auth sends the template's HTML only. lite adds a text part of its own, whose
  // link (/auth/v1/verify on the Site URL) leads nowhere in this app: leave it out.
  return { send: ({ text: _text, ...message }) => resend.send(message) };
}

export type AuthEmailTemplate = { subject?: string; content_path?: string };

export type AuthMailSettings = {
  siteUrl: string;
  /** Seconds between two confirmation emails to one address (`max_frequency`). */
  maxFrequencySeconds: number;
  /** `otp_length`: digits in an emailed code. */
  otpLength: number;
  /** `enable_confirmations`: sign-ups wait for the emailed link. */
  confirmations: boolean;
  /** `[auth.email.template.confirmation]`, content_path already resolved. */
  confirmation?: AuthEmailTemplate;
};

/** A Go duration as config.toml writes it ("1m0s", "60s", "1h"), in seconds. */
export function parseGoDuration(value: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value.trim());
  if (!value.trim() || !match) throw new Error(`not a duration: "${value}" (write e.g. "60s" or "1m0s")`);
  const [, hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** A fetch handler like lite's `app.fetch`; `env` carries the caller's address for its rate limits. */
type Handler = (request: Request, env?: { peerAddress: string | null }) => Promise<Response>;

/**
 * Wraps lite's fetch handler where it differs from the hosted Auth server on the email
 * flows the app uses (`verifyOtp({ type: "email" })` and the recovery rate limit are fixed
 * in lite itself, see patches/):
 * - `resend({ type: "signup" })` always answers 429 in lite; GoTrue sends a new link
 *   once `max_frequency` has passed.
 * - `signUp` with a confirmed account's address answers 429 in lite; GoTrue (with
 *   confirmations on) answers as for a new sign-up, with a made-up user and no email, so
 *   sign-up can't be used to find out who has an account.
 */
export function withAuthMailGaps(
  handler: Handler,
  deps: { query: QueryRunner; driver: EmailDriver; settings: AuthMailSettings },
): Handler {
  const { query, driver, settings } = deps;

  const userByEmail = async (email: string) => {
    const [user] = await query<{ id: string; email: string; confirmed_at: unknown; confirmation_sent_at: unknown }>(
      `select id, email, confirmed_at, confirmation_sent_at from auth.users where lower(email) = lower($1)`,
      [email],
    );
    return user;
  };
  const tooSoon = (sentAt: unknown): number | null => {
    if (sentAt === null || sentAt === undefined) return null;
    const waited = (Date.now() - new Date(String(sentAt)).getTime()) / 1000;
    return waited < settings.maxFrequencySeconds ? Math.ceil(settings.maxFrequencySeconds - waited) : null;
  };

  return async (request, env) => {
    const url = new URL(request.url);
    if (request.method !== "POST" || !url.pathname.startsWith("/auth/v1/")) return handler(request, env);
    const endpoint = url.pathname.slice("/auth/v1".length);
    if (!["/resend", "/signup"].includes(endpoint)) return handler(request, env);

    const text = await request.text();
    const body = parseObject(text);
    const forward = (payload: string = text) =>
      handler(new Request(request.url, { method: "POST", headers: request.headers, body: payload }), env);
    if (!body) return forward();

    if (endpoint === "/signup" && settings.confirmations && typeof body.email === "string") {
      const user = await userByEmail(body.email);
      if (user?.confirmed_at) return Response.json(obfuscatedUser(body.email), { status: 200 });
      return forward();
    }

    if (endpoint === "/resend" && body.type === "signup" && typeof body.email === "string") {
      const user = await userByEmail(body.email);
      // Unknown and already confirmed addresses answer like a send, as GoTrue does.
      if (!user || user.confirmed_at) return forward();
      const wait = tooSoon(user.confirmation_sent_at);
      if (wait !== null) return rateLimited(wait);
      // Another request may have sent one since: the update claims the send, or says why not.
      return (await sendConfirmationAgain(user)) ? Response.json({}, { status: 200 }) : rateLimited(settings.maxFrequencySeconds);
    }
    return forward();
  };

  /** Sends a new confirmation link; false if another request sent one within max_frequency. */
  async function sendConfirmationAgain(user: { id: string; email: string }): Promise<boolean> {
    const email = user.email.toLowerCase();
    const token = String(randomInt(0, 10 ** settings.otpLength)).padStart(settings.otpLength, "0");
    // lite's token hash: sha256 of the address and the code, as it verifies them.
    const tokenHash = createHash("sha256").update(email + token).digest("hex");
    const claimed = await query(
      `update auth.users set confirmation_token = $1, confirmation_sent_at = now()
        where id = $2 and confirmed_at is null
          and (confirmation_sent_at is null or confirmation_sent_at < now() - make_interval(secs => $3))
        returning id`,
      [tokenHash, user.id, settings.maxFrequencySeconds],
    );
    if (claimed.length === 0) return false;
    const confirmationUrl = `${settings.siteUrl}/auth/v1/verify?${new URLSearchParams({ token: tokenHash, type: "signup", redirect_to: settings.siteUrl })}`;
    const variables: Record<string, string> = {
      ConfirmationURL: confirmationUrl,
      Token: token,
      TokenHash: tokenHash,
      SiteURL: settings.siteUrl,
      Email: email,
      NewEmail: email,
      RedirectTo: settings.siteUrl,
      Data: "",
    };
    const template = settings.confirmation;
    const html = template?.content_path
      ? await readFile(template.content_path, "utf8")
      : `<p>Confirm your email: <a href="{{ .ConfirmationURL }}">confirm</a> (code {{ .Token }})</p>`;
    await driver.send({
      to: email,
      subject: render(template?.subject ?? "Confirm Your Signup", variables),
      html: render(html, variables),
    });
    return true;
  }
}

/** GoTrue's template variables (`{{ .TokenHash }}`); unknown ones stay as written, as in lite. */
function render(template: string, variables: Record<string, string>): string {
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) => variables[name] ?? whole);
}

/** What GoTrue answers a repeated sign-up: a user that looks new, with no identities. */
function obfuscatedUser(email: string) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud: "authenticated",
    role: "authenticated",
    email: email.toLowerCase(),
    phone: "",
    confirmation_sent_at: now,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

function rateLimited(waitSeconds: number): Response {
  // GoTrue's error body and header for this case.
  return Response.json(
    {
      code: 429,
      error_code: "over_email_send_rate_limit",
      msg: `For security purposes, you can only request this after ${waitSeconds} seconds.`,
    },
    { status: 429, headers: { "X-Sb-Error-Code": "over_email_send_rate_limit" } },
  );
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
