import { z } from "zod";
import { ReplayRefusedError, type ReplayEvent } from "@/lib/admin/replay";
import { inngest } from "./client";
import { replayableEvents } from "./events";

/**
 * Sends a replay's event (the `emit` of lib/admin/replay.ts), checked against the event's
 * schema first: a payload written before the schema changed is refused here, with the
 * reason, instead of failing inside the function run.
 */
export async function sendReplayEvent(event: ReplayEvent): Promise<void> {
  const type = replayableEvents.find((candidate) => candidate.name === event.name);
  if (!type) throw new ReplayRefusedError(`${event.name} is not an event this app replays.`);
  const data = type.schema.safeParse(event.data);
  if (!data.success) {
    throw new ReplayRefusedError(`the job's payload no longer fits ${event.name}: ${z.prettifyError(data.error)}`);
  }
  await inngest.send({ id: event.id, name: type.name, data: data.data });
}
