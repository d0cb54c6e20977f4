/**
 * What the runs and events lists show: filters (status, function, time range), search
 * (run id, event id, event data), system events hidden by default, and pages. Pure
 * functions of the stored runs, so they are unit-tested without a server.
 */
import { INTERNAL_EVENTS } from "./protocol";
import type { Run, StoredEvent } from "./store";

/** Events Inngest itself sends: cron ticks and run lifecycle events. */
const SYSTEM_EVENTS: ReadonlySet<string> = new Set([
  INTERNAL_EVENTS.scheduled,
  INTERNAL_EVENTS.finished,
  INTERNAL_EVENTS.failed,
  INTERNAL_EVENTS.cancelled,
]);

export const isSystemEvent = (name: string) => SYSTEM_EVENTS.has(name);

export type RunQuery = {
  status?: string;
  functionId?: string;
  eventId?: string;
  /** A run id, an event id, text in the event's data, or a JSON object the data contains. */
  search?: string;
  /** Queued at or after / before, in ms since the epoch. */
  from?: number;
  to?: number;
  /**
   * Include runs of system events (cron ticks, onFailure handlers). Without it they are
   * left out, unless the query names a function or searches: then the developer asked for
   * something specific and gets it, whatever triggered it.
   */
  system?: boolean;
};

/** Runs matching `query`, newest first. */
export function filterRuns(runs: Iterable<Run>, query: RunQuery): Run[] {
  const matchSearch = searchMatcher(query.search);
  const hideSystem = !query.system && !query.functionId && !query.search?.trim() && !query.eventId;
  return [...runs]
    .filter((run) => !query.status || run.status === query.status)
    .filter((run) => !query.functionId || run.functionId === query.functionId)
    .filter((run) => !query.eventId || run.event.id === query.eventId)
    .filter((run) => query.from === undefined || run.queuedAt >= query.from)
    .filter((run) => query.to === undefined || run.queuedAt < query.to)
    .filter((run) => !hideSystem || !isSystemEvent(run.event.name))
    .filter((run) => matchSearch(run.id, run.event.id, run.event.data))
    .sort(newestFirst);
}

/** Events matching `query` (search, time range, system toggle), newest first. */
export function filterEvents(events: readonly StoredEvent[], query: Pick<RunQuery, "search" | "from" | "to" | "system">): StoredEvent[] {
  const matchSearch = searchMatcher(query.search);
  return events
    .filter((event) => query.system || query.search?.trim() || !isSystemEvent(event.name))
    .filter((event) => query.from === undefined || event.receivedAt >= query.from)
    .filter((event) => query.to === undefined || event.receivedAt < query.to)
    .filter((event) => matchSearch(event.runIds.join(" "), event.id, event.data));
}

function newestFirst(a: Run, b: Run): number {
  return b.queuedAt - a.queuedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * A search term matches a run (or event) when it equals or is part of its id or its
 * event's id (case-insensitive), when it is text found in the event's data as JSON, or,
 * if it is a JSON object, when the data contains that object (`{"jobId":"…"}` matches
 * data with that jobId and anything else).
 */
export function searchMatcher(search: string | undefined): (runId: string, eventId: string, data: unknown) => boolean {
  const term = search?.trim();
  if (!term) return () => true;
  const needle = term.toLowerCase();
  const pattern = parseJsonObject(term);
  return (runId, eventId, data) =>
    runId.toLowerCase().includes(needle) ||
    eventId.toLowerCase().includes(needle) ||
    (pattern !== undefined ? containsJson(data, pattern) : JSON.stringify(data ?? null).toLowerCase().includes(needle));
}

/** Whether `value` contains `pattern`: equal scalars, objects with at least its keys, arrays with an element matching each of its. */
export function containsJson(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && pattern.every((item) => value.some((candidate) => containsJson(candidate, item)));
  }
  if (pattern !== null && typeof pattern === "object") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    return Object.entries(pattern).every(([key, item]) => key in record && containsJson(record[key], item));
  }
  return Object.is(value, pattern);
}

function parseJsonObject(text: string): object | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------ pages

export type Page<T> = {
  items: T[];
  /** Cursor for the next page of older runs, if there are any. */
  older?: string;
  /** Cursor for the page of newer runs before this one, if this isn't the first page. */
  newer?: string;
};

/**
 * A page of runs sorted newest first. Cursors name a run (`queuedAt.id`) rather than an
 * offset, so a page stays put while new runs arrive at the top (the list updates live).
 * `before`: the runs after that one in the list; `after`: the `limit` runs just above it.
 */
export function pageOf(runs: Run[], options: { limit: number; before?: string; after?: string }): Page<Run> {
  const { limit } = options;
  const before = parseCursor(options.before);
  const after = parseCursor(options.after);
  let start = 0;
  if (before) start = runs.findIndex((run) => isOlder(run, before));
  else if (after) {
    const cursorAt = runs.findIndex((run) => !isNewer(run, after));
    start = Math.max(0, (cursorAt === -1 ? runs.length : cursorAt) - limit);
  }
  if (start === -1) start = runs.length;
  const items = runs.slice(start, start + limit);
  const last = items.at(-1);
  const first = items[0];
  return {
    items,
    older: last && start + limit < runs.length ? cursorOf(last) : undefined,
    newer: first && start > 0 ? cursorOf(first) : undefined,
  };
}

type Cursor = { queuedAt: number; id: string };

export const cursorOf = (run: Pick<Run, "queuedAt" | "id">) => `${run.queuedAt}.${run.id}`;

function parseCursor(text: string | undefined): Cursor | undefined {
  const match = text ? /^(\d+)\.(.+)$/.exec(text) : null;
  return match ? { queuedAt: Number(match[1]), id: match[2]! } : undefined;
}

/** Below the cursor in a newest-first list. */
function isOlder(run: Run, cursor: Cursor): boolean {
  return run.queuedAt < cursor.queuedAt || (run.queuedAt === cursor.queuedAt && run.id < cursor.id);
}

/** Above the cursor in a newest-first list. */
function isNewer(run: Run, cursor: Cursor): boolean {
  return run.queuedAt > cursor.queuedAt || (run.queuedAt === cursor.queuedAt && run.id > cursor.id);
}

/** A `datetime-local` value (the devstack's own time zone, which is the developer's) or an ISO time, as ms. */
export function parseTime(text: string | undefined): number | undefined {
  if (!text?.trim()) return undefined;
  const ms = new Date(text.trim()).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}
