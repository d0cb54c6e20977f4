/**
 * Errors in the official server's words, for the same situations: tests and scripts that
 * match on a message (or on `status` in the body, as the SDK does) behave the same here as
 * against `npx inngest-cli dev` or Inngest Cloud.
 */
import { z } from "zod";
import { incomingEventSchema, type IncomingEvent } from "./protocol";

export const MESSAGES = {
  /** Invoking (`step.invoke`) a function no app has synced. */
  functionNotFound: (id: string) => `could not find function with ID: ${id}`,
  runNotFound: (id: string) => `Unable to load function run: ${id}`,
  invalidRunId: (id: string) => `Invalid run ID: ${id}`,
  invalidEventBody: "Request body must contain an event object or an array of event objects",
  eventNameEmpty: "event name is empty",
  internalEventName: (name: string) => `event name is reserved for internal use: ${name}`,
} as const;

/** The REST API's error body (Go's `publicerr.Error`). */
export type ApiError = { error: string; data: null; status: number };

export function apiError(status: number, message: string): ApiError {
  return { error: message, data: null, status };
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

/** Run ids are ULIDs, and Inngest refuses anything else before looking the run up. */
export function isUlid(id: string): boolean {
  return ULID.test(id);
}

/** Inngest reserves the `inngest/` prefix for the events it emits itself. */
const INTERNAL_PREFIX = "inngest/";

/**
 * The body of `POST /e/:key`: one event or an array. Unlike Inngest, which takes in the
 * events before a bad one and then answers 400, nothing is sent when any event is bad.
 */
export function parseEventBody(body: unknown): { events: IncomingEvent[] } | { error: string } {
  if (body === null || typeof body !== "object") return { error: MESSAGES.invalidEventBody };
  const events: IncomingEvent[] = [];
  for (const item of [body].flat()) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return { error: MESSAGES.invalidEventBody };
    const name = "name" in item ? item.name : undefined;
    if (name === undefined || name === "") return { error: MESSAGES.eventNameEmpty };
    if (typeof name === "string" && name.toLowerCase().startsWith(INTERNAL_PREFIX)) {
      return { error: MESSAGES.internalEventName(name) };
    }
    const parsed = incomingEventSchema.safeParse(item);
    if (!parsed.success) return { error: z.prettifyError(parsed.error) };
    events.push(parsed.data);
  }
  return { events };
}
