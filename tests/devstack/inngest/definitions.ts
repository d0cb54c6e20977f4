import type { EventPayload, FunctionConfig } from "@/devstack/inngest/protocol";
import type { FunctionDef } from "@/devstack/inngest/registry";

/** 2026-01-01T00:00Z: where the unit tests' clocks start. */
export const T0 = Date.UTC(2026, 0, 1);

/** A synced function as the registry holds it, triggered by `test/event`, for unit tests of the executor's parts. */
export function fn(config: Omit<Partial<FunctionConfig>, "id">, id = "offload-app-fn"): FunctionDef {
  return {
    id,
    name: id,
    appId: "offload-app",
    appUrl: "http://app.test/api/inngest",
    runtimeUrl: `http://app.test/api/inngest?fnId=${id}&stepId=step`,
    eventTriggers: [{ event: "test/event" }],
    crons: [],
    maxAttempts: 1,
    config: { id, triggers: [{ event: "test/event" }], steps: {}, ...config },
    version: 1,
  };
}

let count = 0;
/** A `test/event` with a fresh id, sent now (fake timers set now). */
export function event(data: Record<string, unknown> = {}, ts = Date.now()): EventPayload {
  return { id: `event-${++count}`, name: "test/event", data, ts };
}
