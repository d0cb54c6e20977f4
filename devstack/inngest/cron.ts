/**
 * Cron triggers. `{cron: "TZ=Europe/Paris 0 9 * * *"}` arrives as written; croner handles
 * the time zone (once `TZ=` is split off) and 6-field patterns with seconds. Jitter is
 * ignored. Each firing starts the function directly with an `inngest/scheduled.timer`
 * event, as Inngest does (the event is recorded, not broadcast to other functions).
 */
import { Cron } from "croner";
import { normalizeEvent } from "./events";
import { INTERNAL_EVENTS, type EventPayload } from "./protocol";
import type { FunctionDef } from "./registry";

export function parseCron(expression: string): { pattern: string; timezone?: string } {
  const match = /^\s*(?:CRON_)?TZ=(\S+)\s+(.+)$/.exec(expression);
  return match ? { timezone: match[1], pattern: match[2]!.trim() } : { pattern: expression.trim() };
}

export function scheduledEvent(cron: string, scheduledAt: Date, now = Date.now()): EventPayload {
  return normalizeEvent(
    {
      name: INTERNAL_EVENTS.scheduled,
      data: { cron, scheduledAt: scheduledAt.toISOString(), fireAt: new Date(now).toISOString() },
    },
    now,
  );
}

export class CronScheduler {
  private jobs = new Map<string, Cron>();

  constructor(
    private readonly fire: (functionId: string, event: EventPayload) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Rebuilds the schedules from the synced functions (called after every sync). */
  reconcile(functions: Iterable<FunctionDef>) {
    const wanted = new Map<string, { fn: FunctionDef; cron: string }>();
    for (const fn of functions) for (const { cron } of fn.crons) wanted.set(`${fn.id}\n${cron}`, { fn, cron });
    for (const [key, job] of this.jobs) {
      if (wanted.has(key)) continue;
      job.stop();
      this.jobs.delete(key);
    }
    for (const [key, { fn, cron }] of wanted) {
      if (this.jobs.has(key)) continue;
      const { pattern, timezone } = parseCron(cron);
      try {
        // No `name`: croner keeps named jobs in a process-wide list, which would clash
        // between two executors (tests) serving the same function.
        const job = new Cron(pattern, { timezone, unref: true }, (self: Cron) => {
          this.fire(fn.id, scheduledEvent(cron, self.currentRun() ?? new Date()));
        });
        this.jobs.set(key, job);
      } catch (error) {
        this.log(`warning: function ${fn.id}: cron ${JSON.stringify(cron)} is invalid: ${(error as Error).message}`);
      }
    }
  }

  nextRun(fnId: string): Date | undefined {
    const runs = [...this.jobs]
      .filter(([key]) => key.startsWith(`${fnId}\n`))
      .map(([, job]) => job.nextRun())
      .filter((date): date is Date => date !== null);
    return runs.sort((a, b) => a.getTime() - b.getTime())[0];
  }

  close() {
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
  }
}
