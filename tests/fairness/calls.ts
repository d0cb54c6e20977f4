/**
 * Watches the executor's calls to one of the app's Inngest functions, at the HTTP boundary.
 *
 * A call in flight is a step executing, which is exactly what Inngest's concurrency limits
 * count (a run between steps holds no slot). The executor runs in the test's (or bench's)
 * own process and calls the app with the global `fetch`, so wrapping it sees every call,
 * discovery calls included, without trusting the executor's own bookkeeping: a call's
 * interval here lies inside the time the executor held its slots, and contains the time
 * the app spent on it, so overlaps counted here are overlaps that really happened.
 *
 * `hold()` keeps new calls in flight (holding their slots) until released, so a test can
 * fill every slot and see who gets the next one.
 */

export type FunctionCall = { runId: string; orgId: string; startedAt: number; endedAt?: number };

export type CallWatch = {
  calls: FunctionCall[];
  inFlight: () => FunctionCall[];
  hold: () => void;
  /** Lets the oldest held call through. */
  releaseOne: () => void;
  /** Lets every held call through and stops holding. */
  releaseAll: () => void;
  stop: () => void;
};

type CallBody = { event?: { data?: { orgId?: unknown } }; ctx?: { run_id?: unknown } };

export function watchFunctionCalls(serveUrl: string, functionSlug: string): CallWatch {
  const calls: FunctionCall[] = [];
  let held: (() => void)[] | undefined;
  const original = globalThis.fetch;

  const watched = (input: string | URL | Request): boolean => {
    const url = new URL(input instanceof Request ? input.url : input);
    return `${url.origin}${url.pathname}` === serveUrl && (url.searchParams.get("fnId") ?? "").endsWith(`-${functionSlug}`);
  };

  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (!watched(input) || typeof init?.body !== "string") return original(input, init);
    const body = JSON.parse(init.body) as CallBody;
    const call: FunctionCall = {
      runId: String(body.ctx?.run_id),
      orgId: String(body.event?.data?.orgId),
      startedAt: performance.now(),
    };
    calls.push(call);
    try {
      if (held) await new Promise<void>((resolve) => held!.push(resolve));
      const response = await original(input, init);
      // The call lasts until its whole answer is in, as it does for the executor.
      const text = await response.text();
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      call.endedAt = performance.now();
    }
  };

  return {
    calls,
    inFlight: () => calls.filter((call) => call.endedAt === undefined),
    hold: () => {
      held ??= [];
    },
    releaseOne: () => held?.shift()?.(),
    releaseAll: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const release of waiting) release();
    },
    stop: () => {
      globalThis.fetch = original;
    },
  };
}

/** The most calls in flight at once, per `group` (e.g. per organisation), by a sweep over start and end times. */
export function peakConcurrency(calls: FunctionCall[], group: (call: FunctionCall) => string): Map<string, number> {
  const edges = calls.flatMap((call) => [
    { at: call.startedAt, delta: 1, key: group(call) },
    // An unfinished call counts as still running.
    { at: call.endedAt ?? Infinity, delta: -1, key: group(call) },
  ]);
  // Ends before starts at the same instant: one call handing its slot to the next isn't overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const current = new Map<string, number>();
  const peak = new Map<string, number>();
  for (const { delta, key } of edges) {
    const now = (current.get(key) ?? 0) + delta;
    current.set(key, now);
    peak.set(key, Math.max(peak.get(key) ?? 0, now));
  }
  return peak;
}
