import { Middleware, StepError } from "inngest";
import { z } from "zod";
import { jobTypeOfFunction } from "@/lib/jobs/registry";
import { createJob, JobStoreError, transitionJob, type NewJob } from "@/lib/jobs/store";
import type { Db } from "@/lib/supabase/db";
import type { JobEvent } from "@/lib/jobs/state";
import type { Json } from "@/lib/supabase/database.types";
import { log } from "@/lib/observability/log";
import { createServiceSupabase } from "@/lib/supabase/service";
import { withoutTraceContext } from "./tracing";

/**
 * Mirrors every tracked run into the `jobs` table, so no function repeats it: a run is
 * tracked when its function does a job type's work (lib/jobs/registry.ts) and its event
 * carries `orgId` (see inngest/events.ts). The job is the one the route handler created
 * (`jobId`), or one created here, of the registry's type and attempts, keyed by the event
 * id so redeliveries and reruns of one event share one job.
 *
 *   first request         → processing (attempt 1)
 *   step fails, will retry → retrying, with the error;  the retry starts → processing
 *   step fails for good    → the attempts it used are recorded (the run may catch it)
 *   run returns           → completed, with its output
 *   run fails for good    → failed, with the error and the attempts spent
 *   run cancelled         → cancelled (functions/end-cancelled-jobs.ts: no hook runs then)
 *
 * A run whose job is gone (its team deleted: jobs cascade) records nothing and isn't failed
 * for it. lib/jobs refuses what the state machine forbids (e.g. a rerun of a completed job), so
 * these writes are safe to repeat and never block the run.
 */

const trackedEvent = z.object({
  id: z.string().optional(),
  name: z.string(),
  // Loose: the job's payload is the whole of the event's data, which a replay sends again.
  data: z.looseObject({ orgId: z.uuid(), userId: z.uuid().optional(), jobId: z.uuid().optional() }),
});

/** PostgreSQL's foreign_key_violation: the job's organisation or user no longer exists. */
const FOREIGN_KEY_VIOLATION = "23503";

type RunContext = { runId: string; attempt: number; event: unknown };
type FunctionInfo = { id: (prefix?: string) => string };

/** Inngest makes a fresh instance per request, so the fields below live for one request. */
export class JobMirrorMiddleware extends Middleware.BaseMiddleware {
  readonly id = "offload/job-mirror";
  #db: Db | undefined;
  #jobId: string | null | undefined;

  private get db(): Db {
    return (this.#db ??= createServiceSupabase());
  }

  /** The job a run mirrors into, created on first sight; null for untracked runs. */
  private async jobIdFor(ctx: RunContext, fn: FunctionInfo): Promise<string | null> {
    if (this.#jobId !== undefined) return this.#jobId;

    const jobType = jobTypeOfFunction(fn.id());
    const parsed = trackedEvent.safeParse(ctx.event);
    let jobId: string | null = null;
    if (jobType && parsed.success) {
      const { id: eventId, name: eventName, data } = parsed.data;
      jobId =
        data.jobId ??
        (await this.createJobUnlessGone({
          orgId: data.orgId,
          userId: data.userId,
          type: jobType.type,
          // Not the trace context (inngest/tracing.ts): a replay starts a trace of its own.
          payload: withoutTraceContext(data) as Json,
          maxAttempts: jobType.maxAttempts,
          idempotencyKey: eventId ?? ctx.runId,
          inngestEventId: eventId,
          eventName,
        }));
    }
    this.#jobId = jobId;
    return jobId;
  }

  /**
   * The job's id, or null when its organisation (or user) is gone: a team deleted while
   * the run was queued leaves no row to attach a job to, and the run is then untracked,
   * so it can end on its own terms (there is nothing left to send) instead of failing here.
   */
  private async createJobUnlessGone(job: NewJob): Promise<string | null> {
    try {
      return (await createJob(this.db, job)).job.id;
    } catch (error) {
      if (error instanceof JobStoreError && error.code === FOREIGN_KEY_VIOLATION) {
        log().info({ jobType: job.type, orgId: job.orgId }, `run of ${job.type}: untracked, the organisation or user is gone`);
        return null;
      }
      throw error;
    }
  }

  private async record(ctx: RunContext, fn: FunctionInfo, event: JobEvent) {
    const jobId = await this.jobIdFor(ctx, fn);
    if (!jobId) return;
    const result = await transitionJob(this.db, jobId, event);
    // A function may finish its job itself (to complete before a last notification step).
    const alreadyThere = event.type === "complete" && result.job?.status === "completed";
    if (!result.ok && !alreadyThere) log().info({ jobId }, `job ${jobId}: "${event.type}" not recorded: ${result.reason}`);
  }

  override async onRunStart({ ctx, fn }: Middleware.OnRunStartArgs) {
    await this.record(ctx, fn, { type: "start", attempt: 1, runId: ctx.runId });
  }

  override async onStepStart({ ctx, fn }: Middleware.OnStepStartArgs) {
    // A retry of a failed step: the job is running again.
    if (ctx.attempt > 0) await this.record(ctx, fn, { type: "start", attempt: ctx.attempt + 1, runId: ctx.runId });
  }

  override async onStepError({ ctx, fn, error, isFinalAttempt }: Middleware.OnStepErrorArgs) {
    const attempt = ctx.attempt + 1;
    // A step's final failure ends the run only if the function doesn't catch it (onRunError
    // says so, in a later request), so only its attempt count is recorded now: that later
    // request replays the function at attempt 0 and can't tell how many the step used.
    await this.record(
      ctx,
      fn,
      isFinalAttempt ? { type: "exhausted", attempt } : { type: "retry", attempt, error: error.message, code: error.name },
    );
  }

  override async onRunError({ ctx, fn, error, isFinalAttempt }: Middleware.OnRunErrorArgs) {
    if (!isFinalAttempt) {
      await this.record(ctx, fn, { type: "retry", attempt: ctx.attempt + 1, error: error.message, code: error.name });
    } else if (error instanceof StepError) {
      // A step's failure, uncaught: the step's attempts (recorded as "exhausted") are the job's.
      await this.record(ctx, fn, { type: "fail", error: error.message, code: error.name });
    } else {
      await this.record(ctx, fn, { type: "fail", error: error.message, attempt: ctx.attempt + 1, code: error.name });
    }
  }

  override async onRunComplete({ ctx, fn, output }: Middleware.OnRunCompleteArgs) {
    await this.record(ctx, fn, { type: "complete", result: (output ?? null) as Json });
  }
}
