import { z } from "zod";

/**
 * The names the alert configuration is written in: rules, channels and routes. Kept free of
 * imports from the rest of lib/ so lib/env.ts can validate ALERT_ROUTES with them.
 */

export const ALERT_RULES = [
  "dead_letters",
  "dead_letters_daily",
  "failure_rate",
  "oldest_pending",
  "queue_depth",
  "stuck_jobs",
  "worker_silent",
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** The job type of incidents about the whole install rather than one kind of job. */
export const INSTALL_WIDE = "*";

const slackChannelName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "a name of lowercase letters, digits, - and _");

/** `email`, `webhook`, `slack` (ALERT_SLACK_WEBHOOK_URL) or a named Slack channel `slack:<name>` (ALERT_SLACK_CHANNELS). */
export const alertChannelSchema = z.union([
  z.literal("email"),
  z.literal("webhook"),
  z.literal("slack"),
  z.templateLiteral(["slack:", slackChannelName]),
]);
export type AlertChannel = z.infer<typeof alertChannelSchema>;

/** Named Slack incoming webhooks, e.g. `{"email-team": "https://hooks.slack.com/services/…"}`. */
export const slackChannelsSchema = z.record(slackChannelName, z.url({ protocol: /^https?$/ }));

/**
 * One route: incidents of these job types (any if left out; `*` is the install-wide
 * `worker_silent`) and these rules (any if left out) go to these channels.
 */
export const alertRouteSchema = z.strictObject({
  jobTypes: z.array(z.string().min(1)).min(1).optional(),
  rules: z.array(z.enum(ALERT_RULES)).min(1).optional(),
  channels: z.array(alertChannelSchema).min(1),
});
export type AlertRoute = z.infer<typeof alertRouteSchema>;

/** A JSON text holding a value of `schema`, for an environment variable. */
export const jsonText = <Schema extends z.ZodType>(schema: Schema) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "is not valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const alertRoutesSchema = z.array(alertRouteSchema);
