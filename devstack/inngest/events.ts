/** Turning what clients send into stored events, and matching events to triggers. */
import { randomFillSync } from "node:crypto";
import { ulid } from "ulid";
import { matches } from "./expressions";
import type { EventPayload, EventTrigger, IncomingEvent } from "./protocol";

/**
 * ulid's default asks the OS for randomness once per character, which made ids a tenth of
 * the cost of taking in a fan-out. Drawing from a pool of random bytes keeps them as
 * random (a byte / 256 picks one of ulid's 32 characters uniformly) at a fraction of it.
 */
const pool = new Uint8Array(4096);
let used = pool.length;
function pooledRandom(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++]! / 256;
}

/** A new ULID (run and event ids): time-ordered, random in the rest. */
export const newId = (now: number): string => ulid(now, pooledRandom);

/** Fills in what Inngest fills in: an id (a ULID) when none was given, `ts`, `data`. */
export function normalizeEvent(incoming: IncomingEvent, now: number): EventPayload {
  return {
    ...incoming,
    id: incoming.id || newId(now),
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
