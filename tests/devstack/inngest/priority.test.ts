/**
 * `priority.run` and the concurrency queue's order, against the real SDK. The first run
 * holds the only slot until the test opens a gate, so every later run waits; the order in
 * which they then get the slot is the queue's order.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "./harness";

vi.setConfig({ testTimeout: 15_000 });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("inngest executor: priority", () => {
  it("serves waiting runs as if queued `priority.run` seconds earlier, clipped to ±600, with 0 for a bad value", async () => {
    h = await createHarness();
    const hold = gate();
    const started: string[] = [];
    const fn = h.inngest.createFunction(
      { id: "prioritised", triggers: { event: "test/prioritised" }, concurrency: 1, priority: { run: "event.data.priority" } },
      async ({ event, step }) => {
        await step.run("work", async () => {
          started.push(event.data.name as string);
          if (event.data.name === "holder") await hold.opened;
        });
      },
    );
    await h.serve([fn]);

    const holder = await h.send("test/prioritised", { name: "holder", priority: 0 });
    await h.until(() => started.includes("holder"), "the holder to take the slot");
    // Sent in this order, one at a time; each waits for the slot.
    const waiting: [name: string, priority?: unknown][] = [
      ["zero", 0],
      ["behind", -30],
      ["ahead", 30],
      ["missing"], // the expression fails: 0
      ["most", 600],
      ["clipped", 5_000], // clipped to 600: after "most", which came first
      ["fraction", 1.5], // not an integer: 0
    ];
    const ids = [holder];
    for (const [name, priority] of waiting) {
      ids.push(await h.send("test/prioritised", priority === undefined ? { name } : { name, priority }));
    }
    expect(started).toEqual(["holder"]);

    hold.open();
    for (const id of ids) expect((await h.finished(id)).status).toBe("Completed");
    expect(started).toEqual(["holder", "most", "clipped", "ahead", "zero", "missing", "fraction", "behind"]);
  });

  it("lets a waiter through when the shared limit has room, though an earlier one waits on its own key", async () => {
    h = await createHarness();
    const hold = gate();
    const started: string[] = [];
    const fn = h.inngest.createFunction(
      {
        id: "tenants",
        triggers: { event: "test/tenant" },
        concurrency: [{ key: "event.data.tenant", limit: 1 }, { limit: 2 }],
      },
      async ({ event, step }) => {
        await step.run("work", async () => {
          started.push(event.data.name as string);
          if (event.data.name === "a1") await hold.opened;
        });
      },
    );
    await h.serve([fn]);

    const a1 = await h.send("test/tenant", { tenant: "a", name: "a1" });
    await h.until(() => started.includes("a1"), "a1 to take tenant a's slot");
    const a2 = await h.send("test/tenant", { tenant: "a", name: "a2" }); // waits: tenant a is full
    const b1 = await h.send("test/tenant", { tenant: "b", name: "b1" }); // one shared slot is free

    // b1 runs to the end while a1 still holds tenant a's slot and a2 waits for it.
    expect((await h.finished(b1)).status).toBe("Completed");
    expect(started).toEqual(["a1", "b1"]);

    hold.open();
    expect((await h.finished(a1)).status).toBe("Completed");
    expect((await h.finished(a2)).status).toBe("Completed");
    expect(started).toEqual(["a1", "b1", "a2"]);
  });

  it("no longer warns that priority is not implemented", async () => {
    h = await createHarness();
    const fn = h.inngest.createFunction(
      { id: "with-priority", triggers: { event: "test/with-priority" }, priority: { run: "event.data.p" } },
      async () => "ok",
    );
    await h.serve([fn]);
    expect(h.logs.filter((line) => line.includes("offload-test-with-priority"))).toEqual([]);
  });
});
