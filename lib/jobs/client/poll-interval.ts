/**
 * A poll that starts fast and slows down: every `firstMs` for the first `fastForMs`, then
 * each wait `growth` times the last, up to `slowestMs`. It answers the wait for a time
 * `elapsedMs` since the poll started (or its data last changed), rather than from the
 * previous wait, because TanStack Query asks for the interval on every update of the
 * query, not once per poll.
 */
export function slowingInterval({ firstMs, fastForMs, growth, slowestMs }: { firstMs: number; fastForMs: number; growth: number; slowestMs: number }) {
  return (elapsedMs: number): number => {
    let interval = firstMs;
    let until = fastForMs;
    while (elapsedMs >= until && interval < slowestMs) {
      interval = Math.min(slowestMs, interval * growth);
      until += interval;
    }
    return Math.round(interval);
  };
}

/**
 * How long to wait before the next poll of a job, `elapsedMs` after the page started
 * watching: every second for the first ten, when a job is most likely to start and the
 * viewer is looking hardest, then each wait 1.5 times the last, up to five seconds.
 */
export const pollInterval = slowingInterval({ firstMs: 1_000, fastForMs: 10_000, growth: 1.5, slowestMs: 5_000 });
