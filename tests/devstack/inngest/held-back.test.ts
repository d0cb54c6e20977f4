/**
 * debounce and batchEvents decide when a held-back run starts and with which events; these
 * tests take those decisions directly, on fake timers. Inngest's documented semantics:
 * - debounce: each matching event restarts the quiet `period` for its key; the run starts
 *   once the period passes without a new event, with the **last** event; `timeout` stops a
 *   steady stream from postponing the run for ever (it then runs with the latest event);
 *   each key value debounces on its own (inngest.com/docs/durable-execution/flow-control/debounce);
 * - batchEvents: events are collected per key; a batch starts one run once it holds
 *   `maxSize` events or `timeout` after its first event with what it has; events that `if`
 *   leaves out aren't batched (…/flow-control/batching).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Batcher } from "@/devstack/inngest/batching";
import { Debouncer } from "@/devstack/inngest/debounce";
import { Store, type PendingBatch, type PendingDebounce } from "@/devstack/inngest/store";
import { event, fn, T0 } from "./definitions";

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A debouncer whose started runs are recorded as [ms since T0, event id]. */
function debouncer(canStart: () => boolean = () => true) {
  const store = new Store();
  const started: [number, string][] = [];
  const debounce = new Debouncer(store, (pending: PendingDebounce) => {
    if (!canStart()) return false;
    started.push([Date.now() - T0, pending.event.id]);
    return true;
  });
  return { store, started, debounce };
}

describe("debounce", () => {
  const debounced = fn({ debounce: { period: "1s" } });

  it("starts one run a period after the last event, with that event", () => {
    const { debounce, started, store } = debouncer();
    const ids: string[] = [];
    for (const at of [0, 400, 800]) {
      vi.setSystemTime(T0 + at);
      const e = event();
      ids.push(e.id);
      debounce.add(debounced, e, Date.now());
    }
    vi.advanceTimersByTime(1_799 - 800);
    expect(started).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(started).toEqual([[1_800, ids[2]]]);
    expect(store.debounces.size).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(started).toHaveLength(1);
  });

  it("debounces each key value on its own", () => {
    const { debounce, started } = debouncer();
    const perAccount = fn({ debounce: { period: "1s", key: "event.data.accountId" } });
    const a1 = event({ accountId: "a" });
    const b1 = event({ accountId: "b" });
    debounce.add(perAccount, a1, Date.now());
    debounce.add(perAccount, b1, Date.now());
    vi.advanceTimersByTime(500);
    const a2 = event({ accountId: "a" });
    debounce.add(perAccount, a2, Date.now());
    vi.advanceTimersByTime(500);
    expect(started).toEqual([[1_000, b1.id]]);
    vi.advanceTimersByTime(500);
    expect(started).toEqual([
      [1_000, b1.id],
      [1_500, a2.id],
    ]);
  });

  it("runs at the timeout, counted from the first event, with the latest event so far", () => {
    const { debounce, started } = debouncer();
    const capped = fn({ debounce: { period: "1s", timeout: "2s" } });
    const sent: string[] = [];
    // An event every 300 ms: the quiet period never passes.
    for (let i = 0; i < 12; i++) {
      const e = event({ i });
      sent.push(e.id);
      debounce.add(capped, e, Date.now());
      vi.advanceTimersByTime(300);
    }
    // 2 s after the first event: the events of 0…1,800 ms were in, the 7th the latest.
    expect(started[0]).toEqual([2_000, sent[6]]);
    // The events after it opened a new debounce, capped 2 s after its first (2,100 ms), which
    // falls before the quiet period after the last event (3,300 ms) would end.
    vi.advanceTimersByTime(10_000);
    expect(started.slice(1)).toEqual([[4_100, sent.at(-1)]]);
  });

  it("opens a new debounce for an event after the run started", () => {
    const { debounce, started } = debouncer();
    const first = event();
    debounce.add(debounced, first, Date.now());
    vi.advanceTimersByTime(1_000);
    const second = event();
    debounce.add(debounced, second, Date.now());
    vi.advanceTimersByTime(1_000);
    expect(started).toEqual([
      [1_000, first.id],
      [2_000, second.id],
    ]);
  });

  it("ignores an event older than the one it holds", () => {
    const { debounce, started } = debouncer();
    const newer = event({}, T0);
    debounce.add(debounced, newer, Date.now());
    vi.advanceTimersByTime(500);
    debounce.add(debounced, event({}, T0 - 60_000), Date.now());
    vi.advanceTimersByTime(500);
    expect(started).toEqual([[1_000, newer.id]]);
  });

  it("keeps a due debounce while its app can't take the run yet, and starts it once it can", () => {
    let synced = false;
    const { debounce, started, store } = debouncer(() => synced);
    const e = event();
    debounce.add(debounced, e, Date.now());
    vi.advanceTimersByTime(1_000);
    expect(started).toEqual([]);
    expect(store.debounces.size).toBe(1);
    synced = true;
    vi.advanceTimersByTime(1_000);
    expect(started.map(([, id]) => id)).toEqual([e.id]);
  });

  it("does nothing for a function without debounce", () => {
    const { debounce, started, store } = debouncer();
    debounce.add(fn({}), event(), Date.now());
    vi.advanceTimersByTime(10_000);
    expect([started, store.debounces.size]).toEqual([[], 0]);
  });
});

/** A batcher whose started runs are recorded as [ms since T0, the batch's event ids]. */
function batcher() {
  const store = new Store();
  const started: [number, string[]][] = [];
  const batch = new Batcher(store, (pending: PendingBatch) => {
    started.push([Date.now() - T0, pending.events.map((e) => e.id)]);
    return true;
  });
  return { store, started, batch };
}

describe("batchEvents", () => {
  const batched = fn({ batchEvents: { maxSize: 3, timeout: "5s" } });

  it("starts one run as soon as the batch holds maxSize events, in arrival order", () => {
    const { batch, started } = batcher();
    const events = [event(), event(), event()];
    expect(batch.add(batched, events[0]!, Date.now())).toBe(true);
    expect(batch.add(batched, events[1]!, Date.now())).toBe(true);
    expect(started).toEqual([]);
    expect(batch.add(batched, events[2]!, Date.now())).toBe(true);
    expect(started).toEqual([[0, events.map((e) => e.id)]]);
    vi.advanceTimersByTime(10_000);
    expect(started).toHaveLength(1);
  });

  it("starts with what it has `timeout` after its first event", () => {
    const { batch, started } = batcher();
    const first = event();
    batch.add(batched, first, Date.now());
    vi.advanceTimersByTime(4_000);
    const second = event();
    batch.add(batched, second, Date.now());
    vi.advanceTimersByTime(999);
    expect(started).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(started).toEqual([[5_000, [first.id, second.id]]]);
  });

  it("collects each key value apart", () => {
    const { batch, started } = batcher();
    const perUser = fn({ batchEvents: { maxSize: 2, timeout: "5s", key: "event.data.userId" } });
    const [a1, b1, a2] = [event({ userId: "a" }), event({ userId: "b" }), event({ userId: "a" })];
    for (const e of [a1, b1, a2]) batch.add(perUser, e, Date.now());
    expect(started).toEqual([[0, [a1.id, a2.id]]]);
    vi.advanceTimersByTime(5_000);
    expect(started).toEqual([
      [0, [a1.id, a2.id]],
      [5_000, [b1.id]],
    ]);
  });

  it("leaves out events for which `if` isn't true, and functions that don't batch", () => {
    const { batch, store } = batcher();
    const conditional = fn({ batchEvents: { maxSize: 2, timeout: "5s", if: "event.data.kind == 'bulk'" } });
    expect(batch.add(conditional, event({ kind: "urgent" }), Date.now())).toBe(false);
    expect(batch.add(conditional, event({}), Date.now())).toBe(false);
    expect(batch.add(fn({}), event(), Date.now())).toBe(false);
    expect(store.batches.size).toBe(0);
    expect(batch.add(conditional, event({ kind: "bulk" }), Date.now())).toBe(true);
  });
});
