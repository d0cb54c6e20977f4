import "server-only";
import { Inngest } from "inngest";
import vercel from "../vercel.json";
import { JobMirrorMiddleware } from "./job-mirror";
import { log } from "@/lib/observability/log";
import { RunLogger, sdkLogger } from "./logger";
import { TracingMiddleware } from "./tracing";

/**
 * How long one request to /api/inngest may run, in seconds. vercel.json states it for
 * Vercel (300 s, the most the Hobby plan allows with fluid compute) and this reads it from
 * there, so the number lives in one place.
 */
export const SERVE_MAX_DURATION_SECONDS = vercel.functions["app/api/inngest/route.ts"].maxDuration;

/**
 * SDK v4 runs steps eagerly inside one request (checkpointing) until this much time has
 * passed, then hands the run back to Inngest to go on in a new request. A step that began
 * just before the mark must still end before the platform stops the request, so leave
 * room for the longest step: ours are bounded by Supabase's 8 s statement timeout and
 * Resend's answer time, and 30 s is ample. In milliseconds, as the SDK takes a number.
 */
export const CHECKPOINT_MAX_RUNTIME_MS = (SERVE_MAX_DURATION_SECONDS - 30) * 1000;

/**
 * The one Inngest client. Where it sends events and whether requests must be signed come
 * from the environment the SDK reads itself: INNGEST_DEV (the devstack or `inngest-cli
 * dev`) locally, INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (and, while rotating keys,
 * INNGEST_SIGNING_KEY_FALLBACK) in production.
 */
export const inngest = new Inngest({
  id: "offload",
  // Tracing first: outermost, so the mirror's own writes are inside the run's span.
  middleware: [TracingMiddleware, JobMirrorMiddleware],
  // Expected failures (a rejected email, a rate limit) in one line each, not a stack trace;
  // through the app's logger, so JSON in production.
  logger: new RunLogger(sdkLogger(log)),
  checkpointing: { maxRuntime: CHECKPOINT_MAX_RUNTIME_MS },
});
