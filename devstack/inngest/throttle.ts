/**
 * `throttle` as Inngest documents it: the generic cell rate algorithm (GCRA). A period is cut
 * into `limit` emission intervals (`period / limit`); a key may run ahead of its schedule by
 * `limit + burst` intervals, so an idle key starts `limit + burst` runs at once and then one
 * per interval ("three runs (limit + burst) start at once, then one run starts every
 * period ÷ limit"). Nothing is dropped: a run that doesn't fit gets the first start time
 * that does, and reservations are handed out in call order, so delayed runs start FIFO per
 * key.
 *
 * State per key is one number, the theoretical arrival time (TAT): when the key would be
 * idle again if every reserved run used its interval.
 */
export type ThrottleRule = { limit: number; periodMs: number; burst: number };

export class Throttles {
  private readonly tat = new Map<string, number>();

  /** When a run under `rule` may start (now or later), reserving that start. */
  reserve(key: string, rule: ThrottleRule, now: number): number {
    const limit = Math.max(1, rule.limit);
    const emission = rule.periodMs / limit;
    // How far ahead of now the TAT may run and still admit: the burst tolerance.
    const tolerance = emission * (limit + Math.max(0, rule.burst));
    const tat = Math.max(this.tat.get(key) ?? now, now);
    const nextTat = tat + emission;
    const startAt = Math.max(now, nextTat - tolerance);
    this.tat.set(key, nextTat);
    this.forgetIdle(now);
    return startAt;
  }

  /** Keys whose TAT has passed are idle, the same as never seen: keep the map small. */
  private forgetIdle(now: number) {
    if (this.tat.size < 1_000) return;
    for (const [key, tat] of this.tat) if (tat <= now) this.tat.delete(key);
  }
}
