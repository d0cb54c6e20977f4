import type { ReceivedSpan } from "./decode";

export type TraceSummary = {
  traceId: string;
  /** The root span's name, or the earliest span's while the root hasn't arrived. */
  name: string;
  service: string;
  spanCount: number;
  errorCount: number;
  /** ISO time of the earliest span's start. */
  startedAt: string;
  durationMs: number;
};

export type Trace = TraceSummary & { spans: ReceivedSpan[] };

type Entry = { spans: Map<string, ReceivedSpan>; receivedAt: number };

/**
 * Recent traces, in memory only: a trace's spans arrive in several exports (each process
 * flushes its own), so spans are grouped by trace id as they come, and the oldest traces
 * are dropped past `maxTraces`. Nothing is kept across restarts, as a developer reads the
 * last few minutes.
 */
export class TraceStore {
  readonly #traces = new Map<string, Entry>();
  readonly #listeners = new Set<() => void>();
  #received = 0;

  constructor(readonly maxTraces = 500) {}

  /** Spans received since start, kept or not: what a benchmark compares with requests sent. */
  get receivedSpans(): number {
    return this.#received;
  }

  add(spans: ReceivedSpan[]): void {
    this.#received += spans.length;
    for (const span of spans) {
      let entry = this.#traces.get(span.traceId);
      if (entry) {
        // Most recently touched last, so eviction drops the trace nobody is adding to.
        this.#traces.delete(span.traceId);
      } else {
        entry = { spans: new Map(), receivedAt: Date.now() };
      }
      entry.spans.set(span.spanId, span);
      this.#traces.set(span.traceId, entry);
    }
    while (this.#traces.size > this.maxTraces) {
      const oldest = this.#traces.keys().next().value;
      if (oldest === undefined) break;
      this.#traces.delete(oldest);
    }
    if (spans.length > 0) for (const listener of this.#listeners) listener();
  }

  /** Newest first. */
  list(): TraceSummary[] {
    return [...this.#traces.keys()]
      .map((traceId) => this.#summary(traceId))
      .filter((summary): summary is TraceSummary => summary !== undefined)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  get(traceId: string): Trace | undefined {
    const summary = this.#summary(traceId);
    const entry = this.#traces.get(traceId);
    if (!summary || !entry) return undefined;
    const spans = [...entry.spans.values()].sort((a, b) => compareNanos(a.startTimeUnixNano, b.startTimeUnixNano));
    return { ...summary, spans };
  }

  clear(): void {
    this.#traces.clear();
    for (const listener of this.#listeners) listener();
  }

  /** Called after every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #summary(traceId: string): TraceSummary | undefined {
    const entry = this.#traces.get(traceId);
    if (!entry || entry.spans.size === 0) return undefined;
    const spans = [...entry.spans.values()];
    const ids = new Set(spans.map((span) => span.spanId));
    const first = spans.reduce((a, b) => (compareNanos(a.startTimeUnixNano, b.startTimeUnixNano) <= 0 ? a : b));
    const root = spans.find((span) => !span.parentSpanId) ?? spans.find((span) => !ids.has(span.parentSpanId ?? "")) ?? first;
    const start = BigInt(first.startTimeUnixNano);
    const end = spans.reduce((max, span) => (BigInt(span.endTimeUnixNano) > max ? BigInt(span.endTimeUnixNano) : max), start);
    return {
      traceId,
      name: root.name,
      service: root.service,
      spanCount: spans.length,
      errorCount: spans.filter((span) => span.status.code === "error").length,
      startedAt: new Date(Number(start / 1_000_000n)).toISOString(),
      durationMs: Number(end - start) / 1e6,
    };
  }
}

export function compareNanos(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
