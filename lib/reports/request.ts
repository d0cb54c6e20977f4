import { addDays, differenceInCalendarDays, format, parseISO } from "date-fns";
import { formatInTimeZone } from "date-fns-tz";
import { z } from "zod";
import { Constants } from "@/lib/supabase/database.types";
import { webhookUrlSchema } from "@/lib/webhooks/schemas";

/** The longest range a report may cover: a year, inclusive. */
export const MAX_RANGE_DAYS = 366;

const isoDate = z.iso.date({ error: "Use a date like 2026-11-23." });

/** What a report is of: the job's payload, and what a retry asks for again. */
export const reportParamsSchema = z.object({
  kind: z.enum(Constants.public.Enums.report_kind, { error: 'Choose "activity" or "summary".' }),
  from: isoDate,
  to: isoDate,
  format: z.literal("csv", { error: "CSV is the only format for now." }),
});
export type ReportParams = z.output<typeof reportParamsSchema>;

/**
 * A report job's payload: what was asked for, the time zone whose days the range means
 * (the asker's, when they asked), and whether the request asked for an email, so a
 * repeated Idempotency-Key can be checked against the request it was first used with.
 * Older jobs have neither: their days were UTC days.
 */
export const reportPayloadSchema = reportParamsSchema.extend({
  timeZone: z.string().min(1).default("UTC"),
  notifyByEmail: z.boolean().optional(),
});
export type ReportPayload = z.output<typeof reportPayloadSchema>;

/**
 * `POST /api/reports`: what a user may ask for. `callbackUrl` is "notify me at this URL":
 * the report's end is sent there as a signed webhook, under an endpoint's rules.
 */
export const reportRequestSchema = reportParamsSchema
  .extend({
    format: reportParamsSchema.shape.format.default("csv"),
    notifyByEmail: z.boolean().default(false),
    callbackUrl: webhookUrlSchema.optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    const days = daysBetween(request.from, request.to);
    if (days < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "The end date must not be before the start date." });
    else if (days + 1 > MAX_RANGE_DAYS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `A report covers at most ${MAX_RANGE_DAYS} days.` });
    }
  });

export type ReportRequest = z.output<typeof reportRequestSchema>;

const ISO_DATE = "yyyy-MM-dd";

/** Today in `timeZone`, as YYYY-MM-DD. */
export function localToday(timeZone: string, now: Date = new Date()): string {
  return formatInTimeZone(now, timeZone, ISO_DATE);
}

/**
 * Why a range that ends after `today` (YYYY-MM-DD where the asker is) can't be reported on
 * yet: those days have no activity, and a report of them would be silently incomplete.
 */
export function futureDayMessage(today: string, timeZone: string): string {
  return `A report can't include future days: today is ${today} in your time zone (${timeZone}).`;
}

/** Calendar days from one YYYY-MM-DD to another: 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return differenceInCalendarDays(parseISO(to), parseISO(from));
}

/** The YYYY-MM-DD `days` after `date` (before, when negative). */
export function addDaysToDate(date: string, days: number): string {
  return format(addDays(parseISO(date), days), ISO_DATE);
}

export type ReportWindow = { from: string; to: string };

/**
 * Splits an inclusive date range into at most `maxWindows` whole-day windows of near-equal
 * length: one step each, so a report is many short steps (each far within a serverless
 * function's timeout) and progress moves as each finishes.
 */
export function splitIntoWindows(from: string, to: string, maxWindows: number): ReportWindow[] {
  const days = daysBetween(from, to) + 1;
  const count = Math.max(1, Math.min(maxWindows, days));
  return Array.from({ length: count }, (_, i) => ({
    from: addDaysToDate(from, Math.floor((i * days) / count)),
    to: addDaysToDate(from, Math.floor(((i + 1) * days) / count) - 1),
  }));
}
