/** The runs page's filters, search, system-event toggle, pages and timeline: pure logic. */
import { describe, expect, it } from "vitest";
import { attemptFromPatch, recordAttempt } from "@/devstack/inngest/attempts";
import { rerunFromStep } from "@/devstack/inngest/rerun";
import { containsJson, filterEvents, filterRuns, pageOf, parseTime, searchMatcher } from "@/devstack/inngest/run-query";
import type { Run, StepRecord, StoredEvent } from "@/devstack/inngest/store";
import { attemptsOf, timelineBars } from "@/devstack/inngest/ui";

function run(id: string, queuedAt: number, extra: Partial<Run> = {}, event: Partial<Run["event"]> = {}): Run {
  return {
    id,
    functionId: "app-fn",
    functionName: "Fn",
    appUrl: "http://app",
    event: { id: `evt-${id}`, name: "app/thing.happened", data: {}, ts: queuedAt, ...event },
    events: [],
    status: "Completed",
    queuedAt,
    version: 1,
    maxAttempts: 4,
    memo: {},
    stack: [],
    pending: {},
    steps: [],
    ...extra,
  };
}

describe("runs list: filters and search", () => {
  const runs = [
    run("01A", 1_000, {}, { data: { jobId: "job-1", orgId: "org-a", nested: { plan: "pro", tags: ["x", "y"] } } }),
    run("01B", 2_000, { status: "Failed", functionId: "app-other" }, { data: { jobId: "job-2", orgId: "org-a" } }),
    run("01C", 3_000, {}, { name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }),
    run("01D", 4_000, { functionId: "app-fn-failure" }, { name: "inngest/function.failed", data: { run_id: "01B" } }),
  ];

  it("hides runs of system events (cron ticks, lifecycle events) unless asked, newest first", () => {
    expect(filterRuns(runs, {}).map((r) => r.id)).toEqual(["01B", "01A"]);
    expect(filterRuns(runs, { system: true }).map((r) => r.id)).toEqual(["01D", "01C", "01B", "01A"]);
    // Naming a function or searching is asking for something specific: system runs show.
    expect(filterRuns(runs, { functionId: "app-fn-failure" }).map((r) => r.id)).toEqual(["01D"]);
    expect(filterRuns(runs, { search: "01C" }).map((r) => r.id)).toEqual(["01C"]);
  });

  it("filters by status, function and time range (from inclusive, to exclusive)", () => {
    expect(filterRuns(runs, { status: "Failed" }).map((r) => r.id)).toEqual(["01B"]);
    expect(filterRuns(runs, { functionId: "app-fn" }).map((r) => r.id)).toEqual(["01C", "01A"]);
    expect(filterRuns(runs, { from: 2_000, system: true }).map((r) => r.id)).toEqual(["01D", "01C", "01B"]);
    expect(filterRuns(runs, { from: 1_000, to: 3_000, system: true }).map((r) => r.id)).toEqual(["01B", "01A"]);
  });

  it("searches run ids, event ids (any case, part of them) and text in the event's data", () => {
    expect(filterRuns(runs, { search: "01a" }).map((r) => r.id)).toEqual(["01A"]);
    expect(filterRuns(runs, { search: "evt-01b" }).map((r) => r.id)).toEqual(["01B"]);
    expect(filterRuns(runs, { search: "JOB-2" }).map((r) => r.id)).toEqual(["01B"]);
    expect(filterRuns(runs, { search: "org-a" }).map((r) => r.id)).toEqual(["01B", "01A"]);
    expect(filterRuns(runs, { search: '"plan":"pro"' }).map((r) => r.id)).toEqual(["01A"]);
    expect(filterRuns(runs, { search: "nowhere" })).toEqual([]);
    expect(filterRuns(runs, { search: "   " }).map((r) => r.id)).toEqual(["01B", "01A"]);
  });

  it("matches a JSON object against the data it is part of", () => {
    expect(filterRuns(runs, { search: '{"jobId": "job-1"}' }).map((r) => r.id)).toEqual(["01A"]);
    expect(filterRuns(runs, { search: '{"orgId":"org-a"}' }).map((r) => r.id)).toEqual(["01B", "01A"]);
    expect(filterRuns(runs, { search: '{"nested":{"plan":"pro"}}' }).map((r) => r.id)).toEqual(["01A"]);
    expect(filterRuns(runs, { search: '{"jobId":"job"}' })).toEqual([]); // JSON values match whole
    expect(containsJson({ tags: ["x", "y"] }, { tags: ["y"] })).toBe(true);
    expect(containsJson({ tags: ["x"] }, { tags: ["z"] })).toBe(false);
    expect(containsJson({ n: 1 }, { n: "1" })).toBe(false);
    expect(containsJson({ a: null }, { a: null })).toBe(true);
    expect(containsJson({}, { a: null })).toBe(false);
    // Not a JSON object: plain text search, so a stray brace doesn't find nothing by surprise.
    expect(searchMatcher("{jobId")("r", "e", { note: "{jobId" })).toBe(true);
  });

  it("filters events the same way, matching the runs they started by id", () => {
    const events: StoredEvent[] = [
      { id: "e3", name: "inngest/function.finished", data: {}, ts: 3, receivedAt: 3, runIds: [] },
      { id: "e2", name: "app/a", data: { jobId: "job-9" }, ts: 2, receivedAt: 2, runIds: ["01X"] },
      { id: "e1", name: "app/b", data: {}, ts: 1, receivedAt: 1, runIds: [] },
    ];
    expect(filterEvents(events, {}).map((e) => e.id)).toEqual(["e2", "e1"]);
    expect(filterEvents(events, { system: true }).map((e) => e.id)).toEqual(["e3", "e2", "e1"]);
    expect(filterEvents(events, { search: "01x" }).map((e) => e.id)).toEqual(["e2"]);
    expect(filterEvents(events, { search: '{"jobId":"job-9"}' }).map((e) => e.id)).toEqual(["e2"]);
    expect(filterEvents(events, { from: 2 }).map((e) => e.id)).toEqual(["e2"]);
  });

  it("reads datetime-local and ISO times, and ignores what isn't one", () => {
    expect(parseTime("2026-01-02T03:04:05Z")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseTime("2026-01-02T03:04")).toBe(new Date(2026, 0, 2, 3, 4).getTime());
    expect(parseTime("")).toBeUndefined();
    expect(parseTime("yesterday-ish")).toBeUndefined();
  });
});

describe("runs list: pages", () => {
  // 7 runs, two of them queued in the same millisecond (ids break the tie).
  const runs = filterRuns(
    [run("01A", 1), run("01B", 2), run("01C", 3), run("01D", 3), run("01E", 5), run("01F", 6), run("01G", 7)],
    {},
  );
  const ids = (list: Run[]) => list.map((r) => r.id);

  it("walks older page by page and back without skipping or repeating a run", () => {
    const first = pageOf(runs, { limit: 3 });
    expect(ids(first.items)).toEqual(["01G", "01F", "01E"]);
    expect(first.newer).toBeUndefined();
    const second = pageOf(runs, { limit: 3, before: first.older });
    expect(ids(second.items)).toEqual(["01D", "01C", "01B"]);
    const third = pageOf(runs, { limit: 3, before: second.older });
    expect(ids(third.items)).toEqual(["01A"]);
    expect(third.older).toBeUndefined();
    expect(ids(pageOf(runs, { limit: 3, after: third.newer }).items)).toEqual(["01D", "01C", "01B"]);
    expect(ids(pageOf(runs, { limit: 3, after: second.newer }).items)).toEqual(["01G", "01F", "01E"]);
  });

  it("keeps a page where it is while new runs arrive at the top", () => {
    const first = pageOf(runs, { limit: 3 });
    const more = filterRuns([...runs, run("01H", 8), run("01I", 9)], {});
    expect(ids(pageOf(more, { limit: 3, before: first.older }).items)).toEqual(["01D", "01C", "01B"]);
  });

  it("treats a cursor past the end or a malformed one sensibly", () => {
    expect(pageOf(runs, { limit: 3, before: "0.000" }).items).toEqual([]);
    expect(ids(pageOf(runs, { limit: 3, before: "nonsense" }).items)).toEqual(["01G", "01F", "01E"]);
  });
});

describe("step attempts", () => {
  const step = (): StepRecord => ({ id: "s", name: "flaky", op: "StepPlanned", status: "Running", attempts: 1, startedAt: 100 });

  it("keeps every attempt with its start, end and error, from the executor's step records", () => {
    const record = step();
    const apply = (patch: Partial<StepRecord>, now: number) => {
      Object.assign(record, patch);
      const attempt = attemptFromPatch(patch, now);
      if (attempt) recordAttempt(record, attempt);
    };
    const boom = { name: "Error", message: "boom", stack: "Error: boom\n    at flaky" };
    apply({ status: "Running", attempts: 1, startedAt: 100 }, 100);
    apply({ op: "StepError", status: "Waiting", error: boom, attempts: 1, startedAt: 100 }, 130);
    apply({ op: "StepPlanned", status: "Running", attempts: 2, startedAt: 1_200 }, 1_200);
    apply({ op: "StepRun", status: "Completed", output: "ok", attempts: 2, startedAt: 1_200, endedAt: 1_250 }, 1_250);
    expect(record.history).toEqual([
      { attempt: 1, startedAt: 100, endedAt: 130, error: boom },
      { attempt: 2, startedAt: 1_200, endedAt: 1_250 },
    ]);
  });

  it("ignores sleeps and waits, and restarts an attempt made again after the app was down", () => {
    expect(attemptFromPatch({ op: "Sleep", status: "Waiting", attempts: 0, startedAt: 1 })).toBeUndefined();
    const record = step();
    recordAttempt(record, { attempt: 1, startedAt: 100 });
    recordAttempt(record, { attempt: 1, startedAt: 900 });
    recordAttempt(record, { attempt: 1, startedAt: 900, endedAt: 950 });
    expect(record.history).toEqual([{ attempt: 1, startedAt: 900, endedAt: 950 }]);
  });

  it("places each attempt on the run's time axis", () => {
    const record: StepRecord = {
      ...step(),
      status: "Completed",
      history: [
        { attempt: 1, startedAt: 1_000, endedAt: 1_100, error: { name: "Error", message: "x" } },
        { attempt: 2, startedAt: 1_500, endedAt: 2_000 },
      ],
    };
    const r = run("01A", 1_000, { startedAt: 1_000, endedAt: 2_000, steps: [record] });
    expect(timelineBars(r, record)).toEqual([
      { kind: "fail", left: 0, width: 10, label: "attempt 1: 100 ms" },
      { kind: "ok", left: 50, width: 50, label: "attempt 2: 500 ms" },
    ]);
    // A step stored before histories were kept shows its last attempt.
    expect(attemptsOf({ ...record, history: undefined, attempts: 2, startedAt: 1_500, endedAt: 2_000 })).toEqual([
      { attempt: 2, startedAt: 1_500, endedAt: 2_000, error: undefined },
    ]);
  });
});

describe("rerun from a step", () => {
  const steps = ["a", "b", "c"].map((id): StepRecord => ({ id, name: `step-${id}`, op: "StepRun", status: "Completed", attempts: 1, startedAt: 0 }));
  const original = run("01A", 1, { memo: { a: { data: 1 }, b: { data: 2 }, c: { data: 3 } }, stack: ["a", "b", "c"], steps });

  it("keeps the memo of the steps that finished before the chosen one", () => {
    expect(rerunFromStep(original, "b")).toEqual({ memo: { a: { data: 1 } }, stack: ["a"], rerunFromStep: "step-b" });
    expect(rerunFromStep(original, "a")).toEqual({ memo: {}, stack: [], rerunFromStep: "step-a" });
    expect(rerunFromStep(original, "nope")).toBeUndefined();
  });

  it("copies the memo, so the new run can't change the old one", () => {
    const start = rerunFromStep(original, "c")!;
    (start.memo.a as { data: number }).data = 99;
    expect(original.memo.a).toEqual({ data: 1 });
  });
});
