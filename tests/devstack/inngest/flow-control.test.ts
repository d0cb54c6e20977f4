/**
 * The executor's flow-control decisions, taken directly (no SDK, no HTTP, no timers): which
 * events may start a run (idempotency, rateLimit), when a run may start (throttle), which
 * waiting call gets a concurrency slot next (concurrency, priority), and which run holds a
 * singleton key. The expectations are Inngest's documented semantics:
 * - concurrency limits steps executing at once, per unique key value; 0 means no limit; an
 *   `account`/`env` scope with a key shares the limit with every function using that key;
 *   waiting work starts oldest first (inngest.com/docs/durable-execution/flow-control/concurrency);
 * - priority.run is an integer factor in seconds between -600 and 600; a factor of 120 puts
 *   a run ahead of work queued up to 120 s before it (…/flow-control/priority);
 * - throttle: "limit + burst start at once, then one run starts every period ÷ limit", FIFO,
 *   nothing dropped; each function has its own throttle even with the same key
 *   (…/flow-control/throttling);
 * - rateLimit: at most `limit` runs per `period` per key, the period beginning with the first
 *   matching event; excess events are skipped, not queued (…/flow-control/rate-limiting);
 * - idempotency: one run per key per 24 h.
 */
import { setImmediate as turn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { FlowControl, type ConcurrencyLimit, type Release } from "@/devstack/inngest/flow-control";
import { Singletons } from "@/devstack/inngest/singleton";
import type { Run, RunStatus } from "@/devstack/inngest/store";
import { Throttles } from "@/devstack/inngest/throttle";
import { event, fn, T0 } from "./definitions";

const SECOND = 1_000;
const DAY = 86_400 * SECOND;

describe("idempotency", () => {
  const once = fn({ idempotency: "event.data.orderId" });

  it("starts one run per key in 24 h and drops the rest", () => {
    const flow = new FlowControl();
    expect(flow.admit(once, event({ orderId: "o1" }), T0)).toBeUndefined();
    expect(flow.admit(once, event({ orderId: "o1" }), T0 + SECOND)).toMatch(/idempotency key "o1" already ran/);
    expect(flow.admit(once, event({ orderId: "o1" }), T0 + DAY - 1)).toBeDefined();
    expect(flow.admit(once, event({ orderId: "o2" }), T0 + SECOND)).toBeUndefined();
    expect(flow.admit(once, event({ orderId: "o1" }), T0 + DAY)).toBeUndefined();
  });

  it("keeps each function's keys apart", () => {
    const flow = new FlowControl();
    const other = fn({ idempotency: "event.data.orderId" }, "offload-app-other");
    expect(flow.admit(once, event({ orderId: "o1" }), T0)).toBeUndefined();
    expect(flow.admit(other, event({ orderId: "o1" }), T0)).toBeUndefined();
  });

  it("survives a restart of the executor (its snapshot)", () => {
    const flow = new FlowControl();
    flow.admit(once, event({ orderId: "o1" }), Date.now());
    const restarted = new FlowControl(JSON.parse(JSON.stringify(flow.snapshot())));
    expect(restarted.admit(once, event({ orderId: "o1" }), Date.now())).toBeDefined();
  });
});

describe("rateLimit", () => {
  const limited = fn({ rateLimit: { limit: 2, period: "10s", key: "event.data.companyId" } });

  it("starts at most `limit` runs in the period from the first event, skipping the rest", () => {
    const flow = new FlowControl();
    expect(flow.admit(limited, event({ companyId: "c" }), T0)).toBeUndefined();
    expect(flow.admit(limited, event({ companyId: "c" }), T0 + 1 * SECOND)).toBeUndefined();
    expect(flow.admit(limited, event({ companyId: "c" }), T0 + 2 * SECOND)).toBe("rate limit of 2 per 10s reached");
    expect(flow.admit(limited, event({ companyId: "c" }), T0 + 9 * SECOND)).toBeDefined();
    // Once the period is over, runs may start again: the skipped events weren't queued.
    expect(flow.admit(limited, event({ companyId: "c" }), T0 + 10 * SECOND)).toBeUndefined();
  });

  it("gives each key value its own limit, and a function without a key one shared limit", () => {
    const flow = new FlowControl();
    const one = fn({ rateLimit: { limit: 1, period: "1m" } }, "offload-app-unkeyed");
    expect(flow.admit(limited, event({ companyId: "a" }), T0)).toBeUndefined();
    expect(flow.admit(limited, event({ companyId: "a" }), T0)).toBeUndefined();
    expect(flow.admit(limited, event({ companyId: "b" }), T0)).toBeUndefined();
    expect(flow.admit(limited, event({ companyId: "a" }), T0)).toBeDefined();
    expect(flow.admit(one, event({ companyId: "a" }), T0)).toBeUndefined();
    expect(flow.admit(one, event({ companyId: "b" }), T0)).toBeDefined();
  });

  it("leaves no trace of a skipped event: its idempotency key may still run later", () => {
    const flow = new FlowControl();
    const both = fn({ rateLimit: { limit: 1, period: "10s" }, idempotency: "event.data.orderId" });
    expect(flow.admit(both, event({ orderId: "o1" }), T0)).toBeUndefined();
    expect(flow.admit(both, event({ orderId: "o2" }), T0 + SECOND)).toMatch(/rate limit/);
    expect(flow.admit(both, event({ orderId: "o2" }), T0 + 11 * SECOND)).toBeUndefined();
  });
});

describe("throttle", () => {
  it("starts limit + burst runs at once, then one every period ÷ limit, dropping none (Inngest's example)", () => {
    // throttle: { limit: 2, period: "6s", burst: 1 }; six events arrive 0.5 s apart.
    const flow = new FlowControl();
    const paced = fn({ throttle: { limit: 2, period: "6s", burst: 1 } });
    const starts = [0, 1, 2, 3, 4, 5].map((i) => flow.throttleStart(paced, event(), T0 + i * 500) - T0);
    expect(starts).toEqual([0, 500, 1_000, 3_000, 6_000, 9_000]);
  });

  it("with limit 1 per 5 s and a burst of 2: three at once, then one per 5 s", () => {
    const throttles = new Throttles();
    const rule = { limit: 1, periodMs: 5 * SECOND, burst: 2 };
    const starts = [0, 0, 0, 0, 0].map(() => throttles.reserve("k", rule, T0) - T0);
    expect(starts).toEqual([0, 0, 0, 5_000, 10_000]);
  });

  it("without a burst, limit runs start at once and the next waits one interval", () => {
    const throttles = new Throttles();
    const rule = { limit: 3, periodMs: 3 * SECOND, burst: 0 };
    expect([0, 0, 0, 0].map(() => throttles.reserve("k", rule, T0) - T0)).toEqual([0, 0, 0, 1_000]);
  });

  it("hands out starts FIFO: a later request never starts before an earlier one", () => {
    const throttles = new Throttles();
    const rule = { limit: 2, periodMs: 4 * SECOND, burst: 0 };
    const starts = Array.from({ length: 20 }, (_, i) => throttles.reserve("k", rule, T0 + i * 100));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // Over any stretch, no more than one start per interval beyond the allowance.
    expect(starts.at(-1)! - T0).toBe((20 - 2) * 2_000);
  });

  it("recovers its allowance once the key has been idle", () => {
    const throttles = new Throttles();
    const rule = { limit: 2, periodMs: 4 * SECOND, burst: 0 };
    [0, 0, 0].forEach(() => throttles.reserve("k", rule, T0));
    const later = T0 + 60 * SECOND;
    expect([0, 0, 0].map(() => throttles.reserve("k", rule, later) - later)).toEqual([0, 0, 2_000]);
  });

  it("throttles each key value apart, and each function apart even with the same key", () => {
    const flow = new FlowControl();
    const config = { throttle: { limit: 1, period: "10s", key: "event.data.userId" } };
    const a = fn(config, "offload-app-a");
    const b = fn(config, "offload-app-b");
    expect(flow.throttleStart(a, event({ userId: "u1" }), T0)).toBe(T0);
    expect(flow.throttleStart(a, event({ userId: "u1" }), T0)).toBe(T0 + 10 * SECOND);
    expect(flow.throttleStart(a, event({ userId: "u2" }), T0)).toBe(T0);
    expect(flow.throttleStart(b, event({ userId: "u1" }), T0)).toBe(T0);
  });

  it("doesn't hold back a function without a throttle", () => {
    const flow = new FlowControl();
    expect([0, 0, 0].map(() => flow.throttleStart(fn({}), event(), T0))).toEqual([T0, T0, T0]);
  });
});

/** A request for slots whose grant can be looked at once pending promise callbacks have run. */
function request(flow: FlowControl, limits: ConcurrencyLimit[], order = 0) {
  const state: { release?: Release } = {};
  void flow.acquire(limits, order).then((release) => (state.release = release));
  return {
    get granted() {
      return state.release !== undefined;
    },
    release: () => state.release!(),
  };
}

describe("concurrency", () => {
  it("lets at most `limit` calls hold a slot; a freed slot goes to the next waiter", async () => {
    const flow = new FlowControl();
    const limits = flow.concurrencyLimits(fn({ concurrency: 2 }), event());
    const calls = [request(flow, limits), request(flow, limits), request(flow, limits)];
    await turn();
    expect(calls.map((c) => c.granted)).toEqual([true, true, false]);
    calls[0]!.release();
    await turn();
    expect(calls[2]!.granted).toBe(true);
  });

  it("frees one slot however often a release is called", async () => {
    const flow = new FlowControl();
    const limits = flow.concurrencyLimits(fn({ concurrency: 1 }), event());
    const [first, second, third] = [request(flow, limits), request(flow, limits), request(flow, limits)];
    await turn();
    first.release();
    first.release();
    await turn();
    expect([second.granted, third.granted]).toEqual([true, false]);
  });

  it("treats a limit of 0, or none, as no limit", async () => {
    const flow = new FlowControl();
    for (const concurrency of [0, { limit: 0 }, undefined]) {
      const limits = flow.concurrencyLimits(fn(concurrency === undefined ? {} : { concurrency }), event());
      expect(limits).toEqual([]);
      const calls = Array.from({ length: 50 }, () => request(flow, limits));
      await turn();
      expect(calls.every((c) => c.granted)).toBe(true);
    }
  });

  it("gives each key value its own limit, within the function", async () => {
    const flow = new FlowControl();
    const perTenant = fn({ concurrency: { limit: 1, key: "event.data.tenant" } });
    const a1 = request(flow, flow.concurrencyLimits(perTenant, event({ tenant: "a" })));
    const a2 = request(flow, flow.concurrencyLimits(perTenant, event({ tenant: "a" })));
    const b1 = request(flow, flow.concurrencyLimits(perTenant, event({ tenant: "b" })));
    await turn();
    expect([a1.granted, a2.granted, b1.granted]).toEqual([true, false, true]);
  });

  it("keeps two functions' limits apart, unless an account or env scope shares a key", async () => {
    const flow = new FlowControl();
    const own = (id: string) => fn({ concurrency: { limit: 1, key: '"openai"' } }, id);
    const shared = (id: string) => fn({ concurrency: { limit: 1, key: '"openai"', scope: "account" } }, id);
    const ownA = request(flow, flow.concurrencyLimits(own("offload-app-a"), event()));
    const ownB = request(flow, flow.concurrencyLimits(own("offload-app-b"), event()));
    const sharedA = request(flow, flow.concurrencyLimits(shared("offload-app-c"), event()));
    const sharedB = request(flow, flow.concurrencyLimits(shared("offload-app-d"), event()));
    await turn();
    expect([ownA.granted, ownB.granted, sharedA.granted, sharedB.granted]).toEqual([true, true, true, false]);
    const envA = request(flow, flow.concurrencyLimits(fn({ concurrency: { limit: 1, key: '"db"', scope: "env" } }, "offload-app-e"), event()));
    const envB = request(flow, flow.concurrencyLimits(fn({ concurrency: { limit: 1, key: '"db"', scope: "env" } }, "offload-app-f"), event()));
    await turn();
    expect([envA.granted, envB.granted]).toEqual([true, false]);
  });

  it("with two limits, waits for both; a tenant's full key doesn't hold up another tenant", async () => {
    const flow = new FlowControl();
    const report = fn({ concurrency: [{ limit: 1, key: "event.data.orgId" }, { limit: 2 }] });
    const limitsOf = (orgId: string) => flow.concurrencyLimits(report, event({ orgId }));
    const a1 = request(flow, limitsOf("a"), 1);
    const a2 = request(flow, limitsOf("a"), 2); // waits on its own key
    const b1 = request(flow, limitsOf("b"), 3); // queued after a2, yet served: its key has room
    const c1 = request(flow, limitsOf("c"), 4); // the shared 2 are taken
    await turn();
    expect([a1.granted, a2.granted, b1.granted, c1.granted]).toEqual([true, false, true, false]);
    b1.release();
    await turn();
    // The shared slot goes to the oldest waiter whose own key has room: c, not a2.
    expect([a2.granted, c1.granted]).toEqual([false, true]);
    a1.release();
    await turn();
    expect(a2.granted).toBe(true);
  });

  it("serves waiters oldest first, and first come first served among equals", async () => {
    const flow = new FlowControl();
    const limits = flow.concurrencyLimits(fn({ concurrency: 1 }), event());
    const holder = request(flow, limits, 0);
    await turn();
    const granted: string[] = [];
    const waiters = [
      ["newest", 300],
      ["oldest", 100],
      ["middle", 200],
      ["oldest-too", 100],
    ] as const;
    for (const [name, order] of waiters) {
      void flow.acquire(limits, order).then((release) => {
        granted.push(name);
        release();
      });
    }
    holder.release();
    await turn();
    expect(granted).toEqual(["oldest", "oldest-too", "middle", "newest"]);
  });
});

describe("priority", () => {
  const prioritized = fn({ priority: { run: "event.data.tier == 'enterprise' ? 120 : 0" } });

  it("evaluates priority.run to a factor in seconds", () => {
    const flow = new FlowControl();
    expect(flow.priorityFactor(prioritized, event({ tier: "enterprise" }))).toBe(120);
    expect(flow.priorityFactor(prioritized, event({ tier: "free" }))).toBe(0);
    expect(flow.priorityFactor(fn({}), event())).toBe(0);
  });

  it("clips the factor to -600…600", () => {
    const flow = new FlowControl();
    const direct = fn({ priority: { run: "event.data.priority" } });
    expect(flow.priorityFactor(direct, event({ priority: 5_000 }))).toBe(600);
    expect(flow.priorityFactor(direct, event({ priority: -5_000 }))).toBe(-600);
    expect(flow.priorityFactor(direct, event({ priority: -30 }))).toBe(-30);
  });

  it("counts an expression that fails or isn't a whole number as 0", () => {
    const flow = new FlowControl();
    const direct = fn({ priority: { run: "event.data.priority" } });
    expect(flow.priorityFactor(direct, event({}))).toBe(0);
    expect(flow.priorityFactor(direct, event({ priority: 1.5 }))).toBe(0);
    expect(flow.priorityFactor(direct, event({ priority: "high" }))).toBe(0);
  });

  it("a factor of 120 goes ahead of work queued up to 120 s earlier, not of older work", async () => {
    // The queue order the executor gives a run's first call: queued-at minus the factor.
    const flow = new FlowControl();
    const limits = flow.concurrencyLimits(fn({ concurrency: 1 }), event());
    const holder = request(flow, limits, 0);
    await turn();
    const granted: string[] = [];
    const enqueue = (name: string, queuedAt: number, tier: string) =>
      void flow.acquire(limits, queuedAt - flow.priorityFactor(prioritized, event({ tier })) * SECOND).then((release) => {
        granted.push(name);
        release();
      });
    enqueue("standard, 3 min earlier", T0 - 180 * SECOND, "free");
    enqueue("standard, 1 min earlier", T0 - 60 * SECOND, "free");
    enqueue("enterprise, now", T0, "enterprise");
    holder.release();
    await turn();
    expect(granted).toEqual(["standard, 3 min earlier", "enterprise, now", "standard, 1 min earlier"]);
  });
});

describe("singleton keys", () => {
  function run(id: string, status: RunStatus): Run {
    const trigger = event();
    return {
      id,
      functionId: "offload-app-fn",
      functionName: "fn",
      appUrl: "http://app.test/api/inngest",
      event: trigger,
      events: [trigger],
      status,
      queuedAt: T0,
      version: 1,
      maxAttempts: 1,
      memo: {},
      stack: [],
      pending: {},
      steps: [],
    };
  }

  it("names one key per function without a key, one per key value with one", () => {
    const singletons = new Singletons(new Map());
    expect(singletons.key(fn({}), event())).toBeUndefined();
    expect(singletons.key(fn({ singleton: { mode: "skip" } }), event())).toBe("offload-app-fn");
    const perUser = fn({ singleton: { key: "event.data.userId", mode: "cancel" } });
    expect(singletons.key(perUser, event({ userId: "u1" }))).toBe("offload-app-fn:u1");
    expect(singletons.key(perUser, event({ userId: "u2" }))).toBe("offload-app-fn:u2");
    expect(singletons.key(fn({ singleton: { key: "event.data.n", mode: "skip" } }, "offload-app-n"), event({ n: 7 }))).toBe("offload-app-n:7");
  });

  it("treats a key that is false or can't be evaluated as no singleton", () => {
    const singletons = new Singletons(new Map());
    const conditional = fn({ singleton: { key: "event.data.exclusive == true ? event.data.userId : false", mode: "skip" } });
    expect(singletons.key(conditional, event({ exclusive: false, userId: "u1" }))).toBeUndefined();
    expect(singletons.key(conditional, event({ exclusive: true, userId: "u1" }))).toBe("offload-app-fn:u1");
    expect(singletons.key(fn({ singleton: { key: "event.data.missing.deeper", mode: "skip" } }), event())).toBeUndefined();
  });

  it("is held by an unfinished run only: queued or running, not ended", () => {
    const runs = new Map<string, Run>();
    const singletons = new Singletons(runs);
    const holder = run("run-1", "Queued");
    runs.set(holder.id, holder);
    singletons.hold("k", holder);
    expect(singletons.holder("k")?.id).toBe("run-1");
    holder.status = "Running";
    expect(singletons.holder("k")?.id).toBe("run-1");
    holder.status = "Completed";
    expect(singletons.holder("k")).toBeUndefined();
    expect(singletons.holder("another key")).toBeUndefined();
  });

  it("finds its holders again after a restart", () => {
    const running = { ...run("run-1", "Running"), singletonKey: "k1" };
    const ended = { ...run("run-2", "Failed"), singletonKey: "k2" };
    const singletons = new Singletons(new Map([running, ended].map((r) => [r.id, r])));
    singletons.resume();
    expect(singletons.holder("k1")?.id).toBe("run-1");
    expect(singletons.holder("k2")).toBeUndefined();
  });
});
