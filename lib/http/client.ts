import { z } from "zod";
import { HttpError, type FieldErrors } from "./errors";

/**
 * The browser's one way to call our API. A refusal (any non-2xx answer) is thrown as an
 * `HttpError` rebuilt from the route's error body, as one of the subclasses below where
 * the caller can act on it; a network failure stays the fetch's own TypeError, so callers
 * tell "the server said no" (shown as is) from "the server couldn't be reached".
 */

/** A 429: the caller should wait `retryAfterSeconds` (null when the server didn't say). */
export class RateLimitedError extends HttpError {
  readonly retryAfterSeconds: number | null;

  constructor(error: HttpError, retryAfterSeconds: number | null) {
    super(error.status, error.code, error.message, error.fields, undefined, error.extras);
    this.name = "RateLimitedError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A 409 `organisation_changed`: the page was rendered for another organisation than the one
 * the user now acts in (they switched in another tab or on another device), so the API
 * refused to act. `organisation` is the current one, which a reload shows.
 */
export class OrganisationChangedError extends HttpError {
  readonly organisation: { id: string; name: string } | null;

  constructor(error: HttpError, organisation: { id: string; name: string } | null) {
    super(error.status, error.code, error.message, error.fields, undefined, error.extras);
    this.name = "OrganisationChangedError";
    this.organisation = organisation;
  }
}

/** A 400 or 422 that names the fields in error, to show beside the inputs. */
export class ValidationError extends HttpError {
  declare readonly fields: FieldErrors;

  constructor(error: HttpError, fields: FieldErrors) {
    super(error.status, error.code, error.message, fields, undefined, error.extras);
    this.name = "ValidationError";
  }
}

/** A 404: the thing doesn't exist, or the caller may not know it does. */
export class NotFoundError extends HttpError {
  constructor(error: HttpError) {
    super(error.status, error.code, error.message, error.fields, undefined, error.extras);
    this.name = "NotFoundError";
  }
}

/** The header naming the organisation the page was rendered for (lib/http/route.ts checks it). */
export const PAGE_ORGANISATION_HEADER = "Offload-Organisation";

// Set by the page (components/teams/page-organisation.tsx) while it shows one organisation.
let pageOrganisation: string | null = null;
const organisationChangeListeners = new Set<(error: OrganisationChangedError) => void>();

/**
 * Names the organisation the page on screen was rendered for (null: none, e.g. outside the
 * dashboard): every request then carries it, so the API refuses to act in another one.
 */
export function setPageOrganisation(orgId: string | null): void {
  pageOrganisation = orgId;
}

/** Calls `listener` whenever a request is refused as `organisation_changed`; returns the unsubscribe. */
export function onOrganisationChanged(listener: (error: OrganisationChangedError) => void): () => void {
  organisationChangeListeners.add(listener);
  return () => organisationChangeListeners.delete(listener);
}

const organisationExtrasSchema = z.object({ organisation: z.object({ id: z.string(), name: z.string() }) });

const errorBodySchema = z.looseObject({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

/**
 * A schema for an answer whose type lives as a TypeScript type beside its route's domain
 * code: it checks the envelope of a success, a JSON object, and trusts the server for the
 * fields inside. (A success may hold an `error` field of its own, a job's error message:
 * what tells a refusal is its status.)
 */
export function answer<T extends object>(): z.ZodType<T> {
  return z.custom<T>((value) => typeof value === "object" && value !== null && !Array.isArray(value), {
    error: "The server's answer made no sense.",
  });
}

export type ApiRequest = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Added to the URL's query string; undefined and null values are left out. */
  query?: Record<string, string | number | null | undefined>;
  /** Sent as JSON (undefined: no body). */
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

/**
 * Calls `url` and returns its answer parsed with `schema`: undefined for a 204. Our answers
 * are private and fresh, so the browser's HTTP cache is kept out (`no-store`).
 */
export async function api<Schema extends z.ZodType>(
  url: string,
  schema: Schema,
  request: ApiRequest = {},
): Promise<z.output<Schema>> {
  const response = await send(url, request);
  return parseAnswer(response, schema);
}

/** A GET that asked for a change only (If-None-Match): `modified: false` on a 304. */
export type ConditionalAnswer<T> = { modified: false } | { modified: true; data: T; etag: string | null };

/** GETs `url` with `If-None-Match: etag` (when there is one), for polling. */
export async function apiIfChanged<Schema extends z.ZodType>(
  url: string,
  schema: Schema,
  { etag, signal }: { etag?: string | null; signal?: AbortSignal },
): Promise<ConditionalAnswer<z.output<Schema>>> {
  const response = await send(url, { signal, headers: etag ? { "If-None-Match": etag } : undefined });
  if (response.status === 304) return { modified: false };
  return { modified: true, data: await parseAnswer(response, schema), etag: response.headers.get("ETag") };
}

/**
 * POSTs `body` as JSON and returns the answer (undefined for 204), for the forms whose
 * answer the caller reads as `Result` (an auth endpoint's `{ user }`, or nothing).
 */
export function postJson<Result = undefined>(url: string, body?: unknown): Promise<Result> {
  return api(url, answerOrNothing<Result>(), { method: "POST", json: body });
}

function answerOrNothing<Result>(): z.ZodType<Result> {
  return z.custom<Result>((value) => value === undefined || answer<object>().safeParse(value).success, {
    error: "The server's answer made no sense.",
  });
}

async function send(url: string, { method = "GET", query, json, headers, signal }: ApiRequest): Promise<Response> {
  const response = await fetch(withQuery(url, query), {
    method,
    headers: {
      ...(json === undefined ? {} : { "Content-Type": "application/json" }),
      ...(pageOrganisation === null ? {} : { [PAGE_ORGANISATION_HEADER]: pageOrganisation }),
      ...headers,
    },
    body: json === undefined ? undefined : JSON.stringify(json),
    cache: "no-store",
    signal,
  });
  if (!response.ok && response.status !== 304) {
    const error = await errorOf(response);
    if (error instanceof OrganisationChangedError) for (const listener of organisationChangeListeners) listener(error);
    throw error;
  }
  return response;
}

function withQuery(url: string, query: ApiRequest["query"]): string {
  if (!query) return url;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null) search.set(name, String(value));
  const text = search.toString();
  return text ? `${url}${url.includes("?") ? "&" : "?"}${text}` : url;
}

async function parseAnswer<Schema extends z.ZodType>(response: Response, schema: Schema): Promise<z.output<Schema>> {
  const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new HttpError(response.status, "unexpected_answer", "The server's answer made no sense. Please try again.");
  }
  return parsed.data;
}

/** The `HttpError` the route threw, rebuilt from its body (`Retry-After` read for a 429). */
export async function errorOf(response: Response): Promise<HttpError> {
  const parsed = errorBodySchema.safeParse(await response.json().catch(() => undefined));
  // Our API always answers errors with an error body; anything else came from in between
  // (a proxy, a crashed server), so fall back to a generic message.
  const { error: body, ...extras } = parsed.success
    ? parsed.data
    : { error: { code: "http_error", message: "Something went wrong. Please try again.", fields: undefined } };
  const error = new HttpError(response.status, body.code, body.message, body.fields, undefined, extras);
  if (response.status === 429) return new RateLimitedError(error, parseRetryAfter(response.headers.get("Retry-After")));
  if (response.status === 404) return new NotFoundError(error);
  if (response.status === 409 && body.code === "organisation_changed") {
    const parsedExtras = organisationExtrasSchema.safeParse(extras);
    return new OrganisationChangedError(error, parsedExtras.success ? parsedExtras.data.organisation : null);
  }
  if ((response.status === 400 || response.status === 422) && body.fields) return new ValidationError(error, body.fields);
  return error;
}

/** `Retry-After` is either a number of seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
}
