import { describe, expect, it } from "vitest";
import { functions } from "@/inngest/functions";
import { replayableEvents } from "@/inngest/events";
import { JOB_TYPES, jobTypeLabel, jobTypeOfFunction, jobTypes } from "@/lib/jobs/registry";

/** A trigger's event name, whether given as an event definition or as `{ event }`. */
const eventNameOf = (trigger: unknown): string | undefined => {
  if (typeof trigger !== "object" || trigger === null) return undefined;
  if ("name" in trigger && typeof trigger.name === "string") return trigger.name;
  if ("event" in trigger) return eventNameOf(trigger.event) ?? (typeof trigger.event === "string" ? trigger.event : undefined);
  return undefined;
};

describe("the job-type registry", () => {
  it.each(JOB_TYPES)("%s is done by a served function, with the registry's id, trigger and retries", (type) => {
    const entry = jobTypes[type];
    const fn = functions.find((candidate) => candidate.id() === entry.functionId);
    expect(fn, `no served function ${entry.functionId}`).toBeDefined();
    expect(fn!.opts.retries).toBe(entry.retries);
    expect((fn!.opts.triggers ?? []).map(eventNameOf)).toContain(entry.event);
    expect(entry.maxAttempts).toBe(entry.retries + 1);
  });

  it("makes every job type's event replayable, so a failed job of any type can run again", () => {
    expect(replayableEvents.map((event) => event.name).sort()).toEqual(JOB_TYPES.map((type) => jobTypes[type].event).sort());
  });

  it("finds a job type by its function, and nothing for an untracked one", () => {
    expect(jobTypeOfFunction("generate-report")?.type).toBe("report");
    expect(jobTypeOfFunction("daily-digest")).toBeUndefined();
  });

  it("names every type for people, and shows a type it doesn't know as stored", () => {
    expect(jobTypeLabel("send-digest")).toBe("Daily digest");
    expect(jobTypeLabel("legacy-export")).toBe("legacy-export");
    expect(jobTypeLabel("toString")).toBe("toString");
  });
});
