import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { GetEmailResponseSuccess } from "resend";
import { z } from "zod";
import { headerFields, messageId, toMessage } from "./message";
import type { Outbox, StoredEmail } from "./outbox";
import { emailPage, inboxPage, notFoundPage } from "./pages";
import { bareAddress, batchEmailSchema, emailSchema, MAX_BATCH, parseEmail, type EmailInput, type ErrorName } from "./schema";

/** The inbox page's live refresh (a browser script, so it is a file of its own). */
const inboxScript = readFileSync(new URL("../live-refresh.js", import.meta.url), "utf8");

/** Thrown by any handler, answered in Resend's error shape: `{ statusCode, name, message }`. */
class ResendError extends Error {
  constructor(
    readonly status: number,
    /** Resend's error name; `string` because tests may inject names the SDK doesn't list. */
    readonly type: ErrorName | (string & {}),
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

type Route = [method: string, pattern: RegExp, handle: (request: Request, params: string[]) => Response | Promise<Response>];

/**
 * The HTTP surface: the Resend endpoints the `resend` SDK calls, the inbox pages, and
 * `/_devstack/*` hooks for tests. A plain fetch handler, so it can be served or called directly.
 */
export function createMailHandler(outbox: Outbox): (request: Request) => Promise<Response> {
  const failures = new InjectedFailures();
  const held = new HeldResponses();

  /** What `/emails` and `/emails/batch` share: auth, injected failures, JSON, idempotency. */
  async function send(
    request: Request,
    endpoint: string,
    prepare: (body: unknown) => { emails: EmailInput[]; respond: (ids: string[]) => unknown },
  ): Promise<Response> {
    authenticate(request);
    failures.throwIfArmed(null);
    const key = request.headers.get("idempotency-key");
    if (key !== null && (key.length < 1 || key.length > 256)) {
      throw new ResendError(400, "invalid_idempotency_key", "Idempotency keys, if present, must have between 1 and 256 characters.");
    }
    const body = await readJson(request);
    failures.throwIfArmed(recipientsOf(body));
    const { emails, respond } = prepare(body);

    const result = await outbox.send(emails, key === null ? undefined : { endpoint, key, fingerprint: fingerprint(body) });
    if ("conflict" in result) {
      throw new ResendError(
        409,
        "invalid_idempotent_request",
        "This idempotency key has been used with this HTTP method and endpoint within the last 24 hours, but the request body was modified and doesn't match the original request.",
      );
    }
    await held.wait();
    return Response.json(respond(result.ids));
  }

  const sendOne = (request: Request) =>
    send(request, "/emails", (body) => {
      const { email, error } = parseEmail(emailSchema, body);
      if (error) throw new ResendError(422, error.name, error.message);
      return { emails: [email], respond: ([id]) => ({ id }) };
    });

  const sendBatch = (request: Request) =>
    send(request, "/emails/batch", (body) => {
      if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
        throw new ResendError(422, "validation_error", `The request body must be an array of 1 to ${MAX_BATCH} emails.`);
      }
      const results = body.map((item) => parseEmail(batchEmailSchema, item));
      const errors = results.flatMap((result, index) => (result.error ? [{ index, ...result.error }] : []));
      // Strict (the SDK's default) refuses the whole batch; permissive sends the valid ones.
      const permissive = request.headers.get("x-batch-validation") === "permissive";
      const [first] = errors;
      if (first && !permissive) throw new ResendError(422, first.name, `emails[${first.index}]: ${first.message}`);
      return {
        emails: results.flatMap((result) => (result.email ? [result.email] : [])),
        respond: (ids) => ({
          data: ids.map((id) => ({ id })),
          ...(permissive && { errors: errors.map(({ index, message }) => ({ index, message })) }),
        }),
      };
    });

  const getEmail = (request: Request, [id = ""]: string[]) => {
    authenticate(request);
    const email = outbox.get(id);
    if (!email) throw new ResendError(404, "not_found", "Email not found.");
    return Response.json(toResendEmail(email));
  };

  // The SDK's domains.list, for the app's deep health check. Locally any sender is
  // accepted, so there are no domains to verify: the list is empty.
  const listDomains = (request: Request) => {
    authenticate(request);
    return Response.json({ object: "list", has_more: false, data: [] });
  };

  const showInbox = (request: Request) => {
    const { searchParams } = new URL(request.url);
    const query = { search: searchParams.get("q")?.trim() ?? "", to: searchParams.get("to")?.trim() ?? "" };
    return page(200, inboxPage(outbox.list(query), query, outbox.list().length));
  };

  const showEmail = async (_request: Request, [id = ""]: string[]) => {
    const email = outbox.get(id);
    return email ? page(200, emailPage(email, headerFields(await toMessage(email)))) : page(404, notFoundPage());
  };

  /** The RFC 5322 message: `/source` shows it as text, `/download` saves it as `.eml`. */
  const showSource = async (_request: Request, [id = "", as]: string[]) => {
    const email = outbox.get(id);
    if (!email) return page(404, notFoundPage());
    const headers: Record<string, string> =
      as === "download"
        ? { "content-type": "message/rfc822", "content-disposition": `attachment; filename="${emlName(email)}"` }
        : { "content-type": "text/plain; charset=utf-8" };
    return new Response(new Uint8Array(await toMessage(email)), { headers: { ...headers, "x-content-type-options": "nosniff" } });
  };

  // The page's forms post here and come back with 303 (post/redirect/get), so they work
  // without JavaScript, and a reload doesn't post again.
  const deleteEmail = async (request: Request, [id = ""]: string[]) => {
    refuseCrossSite(request);
    await outbox.delete(id);
    return Response.redirect(new URL("/", request.url), 303);
  };

  const deleteAll = async (request: Request) => {
    refuseCrossSite(request);
    await outbox.clear();
    return Response.redirect(new URL("/", request.url), 303);
  };

  /** Server-sent events: `change` after every send or delete, which inbox.js listens to. */
  const streamChanges = (request: Request) => {
    let unsubscribe = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const encoder = new TextEncoder();
        const push = (chunk: string) => controller.enqueue(encoder.encode(chunk));
        // A comment first, so the browser sees the stream open at once.
        push(": connected\n\n");
        unsubscribe = outbox.subscribe(() => push("event: change\ndata: \n\n"));
        request.signal.addEventListener("abort", () => unsubscribe());
      },
      cancel: () => unsubscribe(),
    });
    return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
  };

  const serveScript = () =>
    new Response(inboxScript, { headers: { "content-type": "text/javascript; charset=utf-8", "x-content-type-options": "nosniff" } });

  const listEmails = (request: Request) => {
    const to = new URL(request.url).searchParams.get("to") ?? undefined;
    return Response.json({ data: outbox.list({ to }) });
  };

  const clearEmails = async () => {
    await outbox.clear();
    return new Response(null, { status: 204 });
  };

  const armFailures = async (request: Request) => {
    const parsed = failureSchema.safeParse(await readJson(request));
    if (!parsed.success) throw new ResendError(400, "validation_error", z.prettifyError(parsed.error));
    failures.arm(parsed.data);
    return Response.json({ data: failures.rules });
  };

  const listFailures = () => Response.json({ data: failures.rules });

  const clearFailures = () => {
    failures.clear();
    return new Response(null, { status: 204 });
  };

  const holdResponses = async (request: Request) => {
    const parsed = holdSchema.safeParse(await readJson(request));
    if (!parsed.success) throw new ResendError(400, "validation_error", z.prettifyError(parsed.error));
    held.arm(parsed.data.count);
    return Response.json({ armed: parsed.data.count, waiting: held.waiting });
  };

  const showHeld = () => Response.json({ waiting: held.waiting });

  const releaseResponses = () => {
    held.release();
    return new Response(null, { status: 204 });
  };

  const routes: Route[] = [
    ["POST", /^\/emails$/, sendOne],
    ["POST", /^\/emails\/batch$/, sendBatch],
    ["GET", /^\/emails\/([^/]+)$/, getEmail],
    ["GET", /^\/domains$/, listDomains],
    ["GET", /^\/$/, showInbox],
    ["GET", /^\/inbox\/([^/]+)$/, showEmail],
    ["GET", /^\/inbox\/([^/]+)\/(source|download)$/, showSource],
    ["POST", /^\/inbox\/delete-all$/, deleteAll],
    ["POST", /^\/inbox\/([^/]+)\/delete$/, deleteEmail],
    ["GET", /^\/events$/, streamChanges],
    ["GET", /^\/inbox\.js$/, serveScript],
    ["GET", /^\/_devstack\/emails$/, listEmails],
    ["DELETE", /^\/_devstack\/emails$/, clearEmails],
    ["POST", /^\/_devstack\/fail$/, armFailures],
    ["GET", /^\/_devstack\/fail$/, listFailures],
    ["DELETE", /^\/_devstack\/fail$/, clearFailures],
    ["POST", /^\/_devstack\/hold$/, holdResponses],
    ["GET", /^\/_devstack\/hold$/, showHeld],
    ["DELETE", /^\/_devstack\/hold$/, releaseResponses],
  ];

  function route(request: Request): Response | Promise<Response> {
    const { pathname } = new URL(request.url);
    const matching = routes.flatMap(([method, pattern, handle]) => {
      const match = pattern.exec(pathname);
      return match ? [{ method, handle, params: match.slice(1).map(decodeURIComponent) }] : [];
    });
    if (matching.length === 0) throw new ResendError(404, "not_found", "The requested endpoint does not exist.");
    const found = matching.find((candidate) => candidate.method === request.method);
    if (!found) throw new ResendError(405, "method_not_allowed", "Method is not allowed for the requested path.");
    return found.handle(request, found.params);
  }

  return async (request) => {
    try {
      return await route(request);
    } catch (error) {
      if (!(error instanceof ResendError)) throw error;
      return Response.json(
        { statusCode: error.status, name: error.type, message: error.message },
        { status: error.status, headers: error.headers },
      );
    }
  };
}

/**
 * The inbox's forms change data, so another site's page mustn't be able to post them
 * (a local server is reachable from any tab). Browsers say where a request came from.
 */
function refuseCrossSite(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    throw new ResendError(403, "invalid_access", "The inbox only accepts its own forms.");
  }
}

/** A file name for the `.eml`: the subject, made safe for any file system. */
function emlName(email: StoredEmail): string {
  const stem = email.subject.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "email";
  return `${stem}-${email.id.slice(0, 8)}.eml`.replace(/[^\x20-\x7e]/g, "_");
}

/** Any non-empty bearer token will do: locally there are no accounts, only the header is Resend's. */
function authenticate(request: Request): void {
  if (!/^Bearer\s+\S/i.test(request.headers.get("authorization") ?? "")) {
    throw new ResendError(401, "missing_api_key", "Missing API key in the authorization header.");
  }
}

const failureSchema = z.object({
  count: z.number().int().positive().default(1),
  status: z.number().int().min(400).max(599),
  /** Seconds, sent as `Retry-After`; 429s get 1 when omitted, as Resend always sends one. */
  retryAfter: z.number().int().nonnegative().optional(),
  name: z.string().optional(),
  message: z.string().optional(),
  /**
   * Only sends addressed to this recipient fail; others go through. Tests use it so that
   * mail the app sends on its own meanwhile (an alert, a digest) can't take the failure.
   */
  to: z.string().optional(),
});
type Failure = z.infer<typeof failureSchema>;

const applicationError = { name: "application_error", message: "An unexpected error occurred." };

/** Resend's names and messages for the statuses tests are likely to inject (api-reference/errors). */
const standardErrors: Partial<Record<number, { name: string; message: string }>> = {
  400: { name: "validation_error", message: "An error was found with one or more fields in the request." },
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  403: { name: "invalid_api_key", message: "API key is invalid." },
  409: { name: "concurrent_idempotent_requests", message: "There is another request in progress with the same idempotency key." },
  422: { name: "validation_error", message: "An error was found with one or more fields in the request." },
  429: { name: "rate_limit_exceeded", message: "Too many requests. Please limit the number of requests per second." },
  500: applicationError,
  503: { name: "service_unavailable", message: "API is temporarily unavailable" },
};

/** Every `to` address in a send or batch body, read loosely: validation comes later. */
function recipientsOf(body: unknown): string[] {
  const items = Array.isArray(body) ? body : [body];
  return items.flatMap((item) => {
    const to: unknown = typeof item === "object" && item !== null ? (item as { to?: unknown }).to : undefined;
    return (Array.isArray(to) ? to : [to]).filter((address): address is string => typeof address === "string");
  });
}

/**
 * `POST /_devstack/fail` rules. Rules add up: each POST adds one, and each send is failed
 * by at most one rule, the oldest that applies to it; a rule is gone once its `count` is
 * used up. An untargeted rule applies to every send, and fires before the body is read,
 * as a provider outage would; a rule with `to` applies to sends with that address among
 * their `to` recipients (by address, ignoring case and display name).
 */
class InjectedFailures {
  private armed: Failure[] = [];

  get rules(): Failure[] {
    return this.armed.map((rule) => ({ ...rule }));
  }

  arm(failure: Failure): void {
    this.armed.push({ ...failure, to: failure.to === undefined ? undefined : (bareAddress(failure.to) ?? failure.to.trim().toLowerCase()) });
  }

  clear(): void {
    this.armed = [];
  }

  /**
   * Called before the body is read (`null`: untargeted rules apply there) and after, with
   * its recipients (targeted rules).
   */
  throwIfArmed(recipients: string[] | null): void {
    const addresses = recipients?.map((recipient) => bareAddress(recipient) ?? recipient.trim().toLowerCase());
    const failure = this.armed.find((rule) =>
      addresses === undefined ? rule.to === undefined : rule.to !== undefined && addresses.includes(rule.to),
    );
    if (!failure) return;
    failure.count -= 1;
    if (failure.count === 0) this.armed = this.armed.filter((rule) => rule !== failure);

    const standard = standardErrors[failure.status] ?? applicationError;
    const retryAfter = failure.retryAfter ?? (failure.status === 429 ? 1 : undefined);
    throw new ResendError(
      failure.status,
      failure.name ?? standard.name,
      failure.message ?? standard.message,
      retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
    );
  }
}

const holdSchema = z.object({ count: z.number().int().min(1).max(100) });

/**
 * `POST /_devstack/hold`: the next `count` sends are accepted and stored, but their answer
 * waits until `DELETE /_devstack/hold`. It models the crash that idempotency exists for:
 * the provider sent the email, and the app died before hearing so.
 */
class HeldResponses {
  private remaining = 0;
  private releases: (() => void)[] = [];

  get waiting(): number {
    return this.releases.length;
  }

  arm(count: number): void {
    this.remaining = count;
  }

  wait(): Promise<void> {
    if (this.remaining === 0) return Promise.resolve();
    this.remaining -= 1;
    return new Promise((resolve) => this.releases.push(resolve));
  }

  release(): void {
    this.remaining = 0;
    for (const resolve of this.releases.splice(0)) resolve();
  }
}

/** GET /emails/:id's shape. Resend formats timestamps the PostgreSQL way, so we do too. */
function toResendEmail(email: StoredEmail): GetEmailResponseSuccess {
  return {
    object: "email",
    id: email.id,
    message_id: messageId(email),
    from: email.from,
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
    reply_to: email.reply_to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    tags: email.tags,
    created_at: email.created_at.replace("T", " ").replace("Z", "+00"),
    scheduled_at: email.scheduled_at,
    last_event: "delivered",
  };
}

/** A stable hash of the body, so the same fields in another order are the same request. */
function fingerprint(body: unknown): string {
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
    }
    return JSON.stringify(value);
  };
  return createHash("sha256").update(canonical(body)).digest("hex");
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ResendError(400, "validation_error", "The request body is not valid JSON.");
  }
}

// Email HTML is shown in a sandboxed srcdoc iframe, which inherits this policy and whose
// sandbox allows no scripts; the page runs only its own /inbox.js. The email's own
// images, fonts and styles still load.
const pageHeaders = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src * data:; font-src * data:; style-src * 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
};

function page(status: number, html: string): Response {
  // A copy each time: @hono/node-server writes Content-Length into the object it is given.
  return new Response(html, { status, headers: { ...pageHeaders } });
}
