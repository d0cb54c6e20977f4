import "server-only";
import { z } from "zod";
import { alertRoutesSchema, INSTALL_WIDE, jsonText, slackChannelsSchema, type AlertChannel } from "@/lib/alerts/config";
import { isJobType, JOB_TYPES } from "@/lib/jobs/registry";

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * What the logger (lib/observability/log.ts) reads. Part of the server's environment, and
 * also parsed on its own, so a line can be written by code that runs without the rest
 * (a script, a test calling lib directly).
 */
export const logEnvSchema = z.object({
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("the least severe level logged: fatal, error, warn, info, debug, trace or silent, e.g. info"),
  LOG_FORMAT: z
    .enum(["json", "pretty"])
    .optional()
    .describe("json (one object per line) or pretty; unset: pretty under next dev, json otherwise"),
});

/**
 * The server's environment. Each variable's description says what a valid value looks
 * like; it is quoted in the error when the variable is missing or wrong. Add new
 * variables here (INNGEST_*, RESEND_*, ...) and read them through `env()`.
 */
const serverEnvSchema = z
  .object({
    APP_URL: httpUrl.describe("the app's public URL, e.g. http://localhost:3000"),
    SUPABASE_URL: httpUrl.describe("your Supabase project's API URL, e.g. http://127.0.0.1:54321"),
    // The prefixes catch the two keys being swapped: the secret key bypasses row-level security.
    SUPABASE_PUBLISHABLE_KEY: z
      .string()
      .startsWith("sb_publishable_")
      .describe("your Supabase project's publishable key, starting with sb_publishable_"),
    SUPABASE_SECRET_KEY: z
      .string()
      .startsWith("sb_secret_")
      .describe("your Supabase project's secret key, starting with sb_secret_"),
    RESEND_API_KEY: z.string().startsWith("re_").describe("a Resend API key, starting with re_"),
    // Read by the resend SDK itself; validated here so a typo is caught at start.
    RESEND_BASE_URL: httpUrl
      .optional()
      .describe("Resend's API URL; unset for api.resend.com, http://127.0.0.1:54324 for the devstack (never in production)"),
    EMAIL_FROM: z
      .string()
      .regex(/^(.+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/)
      .describe('the sender, "Name <address@your-domain>" on a domain verified with Resend'),
    EMAIL_REPLY_TO: z.email().optional().describe("an address replies should go to"),
    // The Inngest SDK reads these itself: INNGEST_DEV points it at a dev server (the devstack
    // or `inngest-cli dev`); without it, production needs the signing and event keys.
    INNGEST_DEV: z
      .string()
      .optional()
      .describe("the URL of an Inngest dev server, e.g. http://127.0.0.1:8288 (never in production)"),
    INNGEST_SIGNING_KEY: z.string().optional().describe("your Inngest app's signing key, starting with signkey-"),
    // During a signing key rotation: the key being replaced, so requests signed with either verify.
    INNGEST_SIGNING_KEY_FALLBACK: z
      .string()
      .optional()
      .describe("your Inngest app's previous signing key while you rotate keys, starting with signkey-"),
    INNGEST_EVENT_KEY: z.string().optional().describe("an Inngest event key"),
    // What decides whether this is a production deployment (see the refinement below).
    VERCEL_ENV: z
      .enum(["production", "preview", "development"])
      .optional()
      .describe("set by Vercel: production, preview or development"),
    NODE_ENV: z.string().optional().describe("set by Next.js: development, production or test"),
    OFFLOAD_LOCAL_SERVICES: z
      .literal("1")
      .optional()
      .describe('"1" to let a production build (`next start`) use the devstack; never set it on a host'),
    // Guards GET /api/health?deep=1, which says which services are configured and reachable.
    HEALTH_CHECK_SECRET: z
      .string()
      .min(32)
      .optional()
      .describe("a random secret of at least 32 characters for GET /api/health?deep=1, e.g. from `openssl rand -hex 32`"),
    // Guards GET /api/metrics (Prometheus); without it the endpoint answers 404.
    METRICS_BEARER_TOKEN: z
      .string()
      .min(32)
      .optional()
      .describe("a random token of at least 32 characters for GET /api/metrics, e.g. from `openssl rand -hex 32`"),
    REPORT_EMAIL_OFFER_AFTER_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(30)
      .describe("seconds a report runs before the page offers to email the user, e.g. 30"),
    // Per organisation, shared by every server instance (lib/rate-limit): a burst of
    // REPORTS_RATE_LIMIT, then one every WINDOW / LIMIT seconds.
    REPORTS_RATE_LIMIT: z.coerce
      .number()
      .int()
      .min(1)
      .default(60)
      .describe("report requests an organisation may make per window, e.g. 60"),
    REPORTS_RATE_LIMIT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(60)
      .describe("the rate limit's window in seconds, e.g. 60"),
    // Team invitations are emails to any address: per organisation (a burst of
    // INVITATIONS_RATE_LIMIT, refilled over the window) and per invited address across
    // every team, so re-sending can't flood one inbox (lib/rate-limit/limits.ts).
    INVITATIONS_RATE_LIMIT: z.coerce
      .number()
      .int()
      .min(1)
      .default(20)
      .describe("invitations an organisation may send per window, e.g. 20"),
    INVITATIONS_RATE_LIMIT_PER_ADDRESS: z.coerce
      .number()
      .int()
      .min(1)
      .default(3)
      .describe("invitations one address may be sent per window, from every team together, e.g. 3"),
    INVITATIONS_RATE_LIMIT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(3600)
      .describe("the invitation limits' window in seconds, e.g. 3600"),
    // Sign-in, sign-up and the emails Auth sends (recovery, confirmation), throttled per
    // client IP and per address (lib/rate-limit/auth.ts). Hosted Auth sees only this server's
    // address, so its own per-IP limits can't tell callers apart; these can.
    AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(60)
      .describe("the window of the sign-in, sign-up and auth email limits in seconds, e.g. 60"),
    AUTH_SIGN_IN_LIMIT_PER_EMAIL: z.coerce
      .number()
      .int()
      .min(1)
      .default(10)
      .describe("failed sign-ins one email address may have per window, e.g. 10"),
    AUTH_SIGN_IN_LIMIT_PER_IP: z.coerce
      .number()
      .int()
      .min(1)
      .default(30)
      .describe("sign-in attempts one client IP may make per window, e.g. 30"),
    AUTH_SIGN_UP_LIMIT_PER_IP: z.coerce
      .number()
      .int()
      .min(1)
      .default(10)
      .describe("sign-ups one client IP may make per window, e.g. 10"),
    AUTH_EMAIL_LIMIT_PER_ADDRESS: z.coerce
      .number()
      .int()
      .min(1)
      .default(5)
      .describe("sign-ups, confirmation resends and reset links one address may be sent per window, e.g. 5"),
    AUTH_EMAIL_LIMIT_PER_IP: z.coerce
      .number()
      .int()
      .min(1)
      .default(10)
      .describe("confirmation resends and reset links one client IP may ask for per window, e.g. 10"),
    // Sign-in, sign-up, recovery and resend answer no sooner than this, so the time taken
    // doesn't say whether an address has an account (Auth hashes passwords and sends mail
    // only for existing ones). It must exceed the slowest of them, a sign-up sending its
    // confirmation email: raise it if yours take longer.
    AUTH_MIN_RESPONSE_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(5000)
      .default(600)
      .describe("milliseconds sign-in, sign-up, recovery and resend take at least, e.g. 600"),
    // Signs unsubscribe links, so they work signed out and can't be forged.
    UNSUBSCRIBE_SECRET: z
      .string()
      .min(32)
      .describe("a random secret of at least 32 characters, e.g. from `openssl rand -hex 32`"),
    // Derives team invitation links' tokens (lib/teams/invitation-token.ts); the database
    // keeps only their hash. Changing it voids every pending invitation's link.
    INVITATION_SECRET: z
      .string()
      .min(32)
      .describe("a random secret of at least 32 characters, e.g. from `openssl rand -hex 32`"),
    JOB_RETENTION_COMPLETED_DAYS: z.coerce.number().int().min(1).default(30).describe("days to keep completed and cancelled jobs, e.g. 30"),
    JOB_RETENTION_FAILED_DAYS: z.coerce.number().int().min(1).default(90).describe("days to keep failed jobs, e.g. 90"),
    // Alert rules (lib/alerts), checked per job type every 10 minutes over the last hour.
    ALERT_DEAD_LETTERS_PER_HOUR: z.coerce
      .number()
      .int()
      .min(0)
      .default(10)
      .describe("alert when a job type has more dead letters than this in an hour, e.g. 10"),
    ALERT_FAILURE_RATE: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe("alert when more than this fraction of a job type's jobs failed in an hour, e.g. 0.05"),
    // One failure in two jobs is 50 %, and says little: judge the rate on enough jobs.
    ALERT_FAILURE_RATE_MIN_JOBS: z.coerce
      .number()
      .int()
      .min(1)
      .default(20)
      .describe("the fewest jobs finished in an hour for the failure rate to count, e.g. 20"),
    ALERT_OLDEST_PENDING_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(3600)
      .describe("alert when a job type's oldest pending job has waited longer than this, e.g. 3600"),
    ALERT_QUEUE_DEPTH: z.coerce
      .number()
      .int()
      .min(0)
      .default(1000)
      .describe("alert when more of a job type's jobs than this are pending or retrying, e.g. 1000"),
    ALERT_STUCK_JOBS: z.coerce
      .number()
      .int()
      .min(1)
      .default(1)
      .describe("alert when at least this many of a job type's jobs are stuck, e.g. 1"),
    // Stuck = running longer than twice the type's p95 (last 24 h) or than this, if sooner.
    ALERT_STUCK_AFTER_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(3600)
      .describe("seconds after which a running job counts as stuck whatever its type's p95, e.g. 3600"),
    // Webhook endpoints are customers' URLs our servers call: loopback (and plain http to it)
    // only where the receiver is on the loopback interface (lib/webhooks/url-safety.ts).
    WEBHOOKS_ALLOW_LOOPBACK: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true")
      .describe('"true" to let webhook endpoints be loopback addresses (local development only), else "false"'),
    // Shortens the webhook retry schedule (5 s … 10 h), not a receiver's Retry-After.
    WEBHOOK_RETRY_TIME_SCALE: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe("a factor in (0, 1] for the webhook retry schedule, e.g. 1 (0.01 in development)"),
    // Alerts: the daily dead-letter rule, worker health, where incidents are sent (README,
    // "Alert channels"). Email goes to the platform admins; Slack and the webhook when set.
    ALERT_DEAD_LETTERS_PER_DAY: z.coerce
      .number()
      .int()
      .min(0)
      .default(100)
      .describe("alert when a job type has more dead letters than this in 24 hours, e.g. 100"),
    ALERT_WORKER_SILENT_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(900)
      .describe("alert when Inngest hasn't reached the app for this many seconds while jobs wait, e.g. 900"),
    ALERT_SLACK_WEBHOOK_URL: httpUrl
      .optional()
      .describe("a Slack incoming webhook URL, https://hooks.slack.com/services/…, for the channel `slack`"),
    ALERT_SLACK_CHANNELS: jsonText(slackChannelsSchema)
      .optional()
      .describe('JSON naming more Slack incoming webhooks, e.g. {"email-team":"https://hooks.slack.com/services/…"}, for channels `slack:<name>`'),
    ALERT_WEBHOOK_URL: httpUrl.optional().describe("a URL that receives each incident as a signed JSON POST, for the channel `webhook`"),
    ALERT_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/)
      .optional()
      .describe('the alert webhook signing secret, whsec_ then base64, e.g. "whsec_$(openssl rand -base64 32)"'),
    ALERT_ROUTES: jsonText(alertRoutesSchema)
      .optional()
      .describe('JSON routes, first match wins, e.g. [{"jobTypes":["send-digest"],"rules":["dead_letters"],"channels":["slack"]}]'),
    // For an external monitor's POST /api/alerts/check, which works when Inngest can't reach the app.
    ALERT_CHECK_SECRET: z
      .string()
      .min(32)
      .optional()
      .describe("a random secret of at least 32 characters for POST /api/alerts/check, e.g. from `openssl rand -hex 32`"),
    // Logs: LOG_LEVEL, LOG_FORMAT.
    ...logEnvSchema.shape,
    // Traces (instrumentation.ts). The OpenTelemetry exporter reads these itself, as every
    // OTLP exporter does; validated here so a typo shows at start. Unset endpoint: no tracing.
    OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl
      .optional()
      .describe("an OTLP/HTTP endpoint to export traces to (/v1/traces is appended), e.g. http://127.0.0.1:4318; unset turns tracing off"),
    OTEL_EXPORTER_OTLP_HEADERS: z
      .string()
      .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/)
      .optional()
      .describe('headers for every export as key=value pairs joined by commas, e.g. "authorization=Bearer abc123"'),
    OTEL_SERVICE_NAME: z.string().min(1).default("offload").describe('the service name traces carry, e.g. "offload"'),
  })
  .superRefine((vars, ctx) => {
    // A production deployment must never talk to local stand-ins: INNGEST_DEV would turn off
    // request signing, RESEND_BASE_URL would send mail nowhere. Vercel's production is always
    // production; elsewhere NODE_ENV=production is (`next start`), unless the one documented
    // opt-in says this production build runs against the devstack (e2e tests, benchmarks).
    const production =
      vars.VERCEL_ENV === "production" || (vars.NODE_ENV === "production" && vars.OFFLOAD_LOCAL_SERVICES !== "1");
    if (production) {
      const why = vars.VERCEL_ENV === "production" ? "VERCEL_ENV=production" : "NODE_ENV=production";
      for (const name of ["INNGEST_DEV", "RESEND_BASE_URL"] as const) {
        if (vars[name]) {
          ctx.addIssue({ code: "custom", path: [name], message: `must be unset in production (${why})` });
        }
      }
    }
    if (production && vars.WEBHOOKS_ALLOW_LOOPBACK) {
      ctx.addIssue({ code: "custom", path: ["WEBHOOKS_ALLOW_LOOPBACK"], message: "must not be true in production" });
    }
    if (vars.ALERT_WEBHOOK_URL && !vars.ALERT_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["ALERT_WEBHOOK_SECRET"], message: "is required with ALERT_WEBHOOK_URL" });
    }
    // A route naming a channel that isn't set up would drop its alerts without a word.
    const configured = new Set(configuredAlertChannels(vars));
    for (const channel of new Set((vars.ALERT_ROUTES ?? []).flatMap((r) => r.channels))) {
      if (!configured.has(channel)) {
        ctx.addIssue({ code: "custom", path: ["ALERT_ROUTES"], message: `names the channel ${channel}, which is not configured` });
      }
    }
    // A misspelt job type (`send_digest`) would match nothing, and its alerts fall through to a later route.
    for (const jobType of new Set((vars.ALERT_ROUTES ?? []).flatMap((r) => r.jobTypes ?? []))) {
      if (jobType !== INSTALL_WIDE && !isJobType(jobType)) {
        ctx.addIssue({
          code: "custom",
          path: ["ALERT_ROUTES"],
          message: `names the job type ${jobType}, which is not one of ${[...JOB_TYPES, INSTALL_WIDE].join(", ")}`,
        });
      }
    }
    if (vars.INNGEST_DEV) return;
    for (const name of ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"] as const) {
      if (!vars[name]) ctx.addIssue({ code: "custom", path: [name], message: "required without INNGEST_DEV" });
    }
  });

export type ServerEnv = z.infer<typeof serverEnvSchema>;

type AlertChannelSettings = Pick<ServerEnv, "ALERT_SLACK_WEBHOOK_URL" | "ALERT_SLACK_CHANNELS" | "ALERT_WEBHOOK_URL">;

/** The alert channels this environment sets up: email always, the others when their URL is set. */
export function configuredAlertChannels(vars: AlertChannelSettings): AlertChannel[] {
  return [
    "email",
    ...(vars.ALERT_SLACK_WEBHOOK_URL ? (["slack"] as const) : []),
    ...Object.keys(vars.ALERT_SLACK_CHANNELS ?? {}).map((name): AlertChannel => `slack:${name}`),
    ...(vars.ALERT_WEBHOOK_URL ? (["webhook"] as const) : []),
  ];
}

type EnvName = keyof typeof serverEnvSchema.shape;

/** Validates `source` against the schema, reporting every bad variable at once. */
export function parseEnv(source: Record<string, string | undefined>): ServerEnv {
  // Treat `FOO=` like an unset variable, so a blank line in an .env file reads as missing.
  const values = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  // A Vercel preview lives at its own URL, which Vercel sets as VERCEL_URL (no scheme): it is
  // the APP_URL there unless one is given, so links and the Inngest sync name the preview.
  if (values.APP_URL === undefined && values.VERCEL_ENV === "preview" && values.VERCEL_URL) {
    values.APP_URL = `https://${values.VERCEL_URL}`;
  }
  const result = serverEnvSchema.safeParse(values);
  if (result.success) return result.data;

  const problems = new Map<EnvName, string>();
  for (const issue of result.error.issues) {
    const name = issue.path[0] as EnvName;
    if (problems.has(name)) continue;
    // A value that is fine in itself but wrong here says why; anything else says what fits.
    const problem =
      values[name] === undefined
        ? `is missing: expected ${serverEnvSchema.shape[name].description}`
        : issue.code === "custom"
          ? issue.message
          : `is invalid: expected ${serverEnvSchema.shape[name].description}`;
    problems.set(name, `  ${name} ${problem}`);
  }
  throw new Error(`Invalid environment variables:\n${[...problems.values()].join("\n")}`);
}

/**
 * Only the tracing variables, for instrumentation.ts: it runs before anything else, and a
 * bad unrelated variable must stop the app where that variable is used, with its message.
 */
export function tracingEnv(source: Record<string, string | undefined> = process.env) {
  const shape = serverEnvSchema.shape;
  const values = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = z
    .object({
      OTEL_EXPORTER_OTLP_ENDPOINT: shape.OTEL_EXPORTER_OTLP_ENDPOINT,
      OTEL_EXPORTER_OTLP_HEADERS: shape.OTEL_EXPORTER_OTLP_HEADERS,
      OTEL_SERVICE_NAME: shape.OTEL_SERVICE_NAME,
    })
    .safeParse(values);
  if (result.success) return result.data;
  const names = [...new Set(result.error.issues.map((issue) => issue.path[0] as EnvName))];
  const problems = names.map((name) => `  ${name} is invalid: expected ${shape[name].description}`);
  throw new Error(`Invalid environment variables:\n${problems.join("\n")}`);
}

let cached: ServerEnv | undefined;

/** The validated environment, parsed on first use so builds don't need secrets. */
export function env(): ServerEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
