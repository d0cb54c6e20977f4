const FAST_MS = 1_000;
const FAST_FOR_MS = 10_000;
const GROWTH = 1.5;
const SLOWEST_MS = 5_000;

/**
 * How long to wait before the next poll, `elapsedMs` after the page started watching: every
 * second for the first ten, when a job is most likely to start and the viewer is looking
 * hardest, then each wait 1.5 times the last, up to five seconds.
 *
 * A function of time rather than of the previous wait, because TanStack Query asks for the
 * interval on every update of the query, not once per poll.
 */
export function pollInterval(elapsedMs: number): number {
  let interval = FAST_MS;
  let until = FAST_FOR_MS;
  while (elapsedMs >= until && interval < SLOWEST_MS) {
    interval = Math.min(SLOWEST_MS, interval * GROWTH);
    until += interval;
  }
  return Math.round(interval);
}
