import { slowingInterval } from "@/lib/jobs/client/poll-interval";

/**
 * How long the bell waits before asking again, `quietForMs` after its notifications last
 * changed: 15 seconds at first, when something the user just did (a report, an invitation)
 * is most likely to ring it, then each wait 1.5 times the last, up to a minute.
 */
export const notificationPollInterval = slowingInterval({ firstMs: 15_000, fastForMs: 15_000, growth: 1.5, slowestMs: 60_000 });
