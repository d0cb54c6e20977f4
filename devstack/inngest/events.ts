/** Turning what clients send into stored events, and matching events to triggers. */
import { ulid } from "ulid";
import { matches } from "./expressions";
import type { EventPayload, EventTrigger, IncomingEvent } from "./protocol";

/** Fills in what Inngest fills in: an id (a ULID) when none was given, `ts`, `data`. */
export function normalizeEvent(incoming: IncomingEvent, now: number): EventPayload {
  return {
    ...incoming,
    id: incoming.id || ulid(now),
    name: incoming.name,
    data: incoming.data ?? {},
    ts: incoming.ts ?? now,
  };
}

/** `app/*`-style wildcards are allowed at the end of a trigger's event name, as on Inngest. */
export function triggerMatches(trigger: EventTrigger, event: EventPayload): boolean {
  const nameMatches = trigger.event.endsWith("*")
    ? event.name.startsWith(trigger.event.slice(0, -1))
    : trigger.event === event.name;
  return nameMatches && (!trigger.expression || matches(trigger.expression, { event }));
}
