import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { Middleware } from "inngest";
import { z } from "zod";
import { flushTracesAfterAnswer } from "@/lib/observability/flush";

/**
 * One trace from the request that sends an event to every step of the run it starts.
 *
 * Inngest doesn't carry the sender's trace to the run: its SDK starts each request's
 * `inngest.execution` span in whatever context that request has, and its own tracing
 * middleware (`extendedTracesMiddleware`) only exports spans to Inngest's dashboard. So the
 * trace context travels the way it would through any queue: in the message. Sending puts a
 * W3C `traceparent` (and `tracestate`) into each event's data, from a producer span around
 * the send; each request of the run continues it in a consumer span, and every step that
 * runs gets a span of its own, under which its Supabase and Resend calls (undici's spans) sit.
 * Works the same with Inngest Cloud, the dev server and the devstack, as it is only data.
 *
 * With tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT) the API's tracer is a no-op: no span is
 * recording, so nothing is added to events and nothing is exported.
 */

/** The keys this adds to event data; job payloads (inngest/job-mirror.ts) leave them out. */
export const traceContextKeys = ["traceparent", "tracestate"] as const;

/** Event data without the trace context: what a job keeps, and what a replay sends again. */
export function withoutTraceContext<T extends Record<string, unknown>>(data: T): Omit<T, (typeof traceContextKeys)[number]> {
  const { traceparent: _traceparent, tracestate: _tracestate, ...rest } = data;
  return rest;
}

// Only W3C trace context: baggage, if anyone set it, stays out of stored event data.
const propagator = new W3CTraceContextPropagator();
const tracer = () => trace.getTracer("offload/inngest");

const callBody = z.object({
  event: z.object({ name: z.string(), data: z.looseObject({ traceparent: z.string().optional(), tracestate: z.string().optional() }).optional() }).optional(),
  ctx: z.object({ attempt: z.number().int().optional() }).optional(),
});

/** Inngest makes a fresh instance per send and per request, so `#sendSpan` is one send's. */
export class TracingMiddleware extends Middleware.BaseMiddleware {
  readonly id = "offload/tracing";
  #sendSpan: Span | undefined;

  override transformSendEvent(arg: Middleware.TransformSendEventArgs): Middleware.TransformSendEventArgs {
    if (arg.events.length === 0) return arg;
    const names = [...new Set(arg.events.map((event) => event.name))];
    const span = tracer().startSpan(`inngest.send ${names.join(", ")}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        "messaging.system": "inngest",
        "messaging.operation.type": "send",
        "messaging.destination.name": names.join(","),
        "messaging.batch.message_count": arg.events.length,
      },
    });
    if (!span.isRecording()) return arg;
    this.#sendSpan = span;
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(context.active(), span), carrier, defaultTextMapSetter);
    // A replayed payload's old context is replaced by the replay's own.
    return { ...arg, events: arg.events.map((event) => ({ ...event, data: { ...withoutTraceContext(event.data ?? {}), ...carrier } })) };
  }

  override async wrapSendEvent({ next }: Middleware.WrapSendEventArgs) {
    const span = this.#sendSpan;
    if (!span) return next();
    try {
      return await context.with(trace.setSpan(context.active(), span), next);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  override async wrapRequest({ fn, next, requestInfo, runId }: Middleware.WrapRequestArgs) {
    const body = callBody.safeParse(await requestInfo.body());
    const event = body.success ? body.data.event : undefined;
    const carrier = { traceparent: event?.data?.traceparent, tracestate: event?.data?.tracestate };
    // An event sent without a trace (a cron's, one from elsewhere) runs under this request's span.
    const parent = carrier.traceparent ? propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter) : context.active();
    const functionId = fn?.id() ?? "unknown";
    const span = tracer().startSpan(
      `inngest.run ${functionId}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          "messaging.system": "inngest",
          "messaging.operation.type": "process",
          ...(event ? { "messaging.destination.name": event.name } : {}),
          "inngest.function.id": functionId,
          "inngest.run.id": runId,
          "inngest.attempt": body.success ? (body.data.ctx?.attempt ?? 0) : 0,
        },
      },
      parent,
    );
    try {
      const response = await context.with(trace.setSpan(parent, span), next);
      // 206: steps to run next; 500 and 400: the run failed this time (retried) or for good.
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${response.status}` });
      return response;
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
      flushTracesAfterAnswer();
    }
  }

  override async wrapStepHandler({ ctx, next, stepInfo }: Middleware.WrapStepHandlerArgs) {
    return tracer().startActiveSpan(
      `step ${stepInfo.options.id}`,
      {
        attributes: {
          "inngest.step.id": stepInfo.options.id,
          "inngest.step.type": String(stepInfo.stepType),
          "inngest.step.hashed_id": stepInfo.hashedId,
          "inngest.run.id": ctx.runId,
          "inngest.attempt": ctx.attempt,
        },
      },
      async (span) => {
        try {
          return await next();
        } catch (error) {
          failed(span, error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

function failed(span: Span, error: unknown) {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
