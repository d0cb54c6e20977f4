import { afterEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./harness";

let h: Harness;
afterEach(() => h?.close());

describe("inngest executor: the call loop", () => {
  it("runs step.run steps in order and completes with the return value", async () => {
    h = await createHarness();
    const calls: string[] = [];
    const fn = h.inngest.createFunction({ id: "serial", triggers: { event: "test/serial" } }, async ({ event, step }) => {
      const a = await step.run("a", () => (calls.push("a"), 1));
      const b = await step.run("b", () => (calls.push("b"), a + 1));
      return { sum: a + b, input: event.data.x };
    });
    await h.serve([fn]);
    const eventId = await h.send("test/serial", { x: 7 });
    const run = await h.finished(eventId);
    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ sum: 3, input: 7 });
    expect(calls).toEqual(["a", "b"]);
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([["a", "Completed"], ["b", "Completed"]]);
  });
});
