const FIRST_MS = 15_000;
const GROWTH = 1.5;
const SLOWEST_MS = 60_000;

/**
 * How long the bell waits before asking again, `quietForMs` after its notifications last
 * changed: 15 seconds at first, when something the user just did (a report, an invitation)
 * is most likely to ring it, then each wait 1.5 times the last, up to a minute. A function
 * of time, like the job polls' (lib/jobs/client/poll-interval.ts), because TanStack Query
 * asks for the interval on every update of the query.
 */
export function notificationPollInterval(quietForMs: number): number {
  let interval = FIRST_MS;
  let until = FIRST_MS;
  while (quietForMs >= until && interval < SLOWEST_MS) {
    interval = Math.min(SLOWEST_MS, interval * GROWTH);
    until += interval;
  }
  return Math.round(interval);
}
