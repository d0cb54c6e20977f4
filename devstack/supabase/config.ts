import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { parseGoDuration } from "./auth-mail";

/**
 * `supabase/config.toml`, read as the Supabase CLI reads it, and turned into the settings
 * @supabase/lite takes. The CLI decodes the file strictly (viper's `UnmarshalExact`): a key
 * it doesn't know is an error, not a silently ignored typo, so the same file fails here
 * and under `supabase start` alike. The sections the devstack serves (`[api]`, `[auth]`)
 * are checked key by key against the CLI's schema (`pkg/config/api.go`, `auth.go`); the
 * others belong to services the devstack doesn't run and are checked by name only.
 */

/** Environment variables by name (process.env by default). */
export type Environment = Record<string, string | undefined>;

/** `env(NAME)`, which the CLI replaces with the variable's value when it is set. */
const ENV_REFERENCE = /^env\((.*)\)$/;

/**
 * Replaces every `env(NAME)` string with the variable's value. An unset (or empty) variable
 * leaves the key unset, so its default applies: the CLI keeps the literal text instead,
 * which nothing downstream could use.
 */
export function resolveEnvReferences(value: unknown, env: Environment = process.env): unknown {
  if (typeof value === "string") {
    const name = ENV_REFERENCE.exec(value)?.[1];
    return name === undefined ? value : env[name] || undefined;
  }
  if (Array.isArray(value)) return value.map((item) => resolveEnvReferences(item, env)).filter((item) => item !== undefined);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .map(([key, item]) => [key, resolveEnvReferences(item, env)] as const)
        .filter(([, item]) => item !== undefined),
    );
  }
  return value;
}

const uint = z.number().int().nonnegative();
const port = z.number().int().min(0).max(65535);
/** A Go duration ("1m0s", "60s", "8h"), as seconds. */
const duration = z.string().transform((value, ctx) => {
  try {
    return parseGoDuration(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});

const apiSchema = z.strictObject({
  enabled: z.boolean().default(true),
  schemas: z.array(z.string()).default(["public", "graphql_public"]),
  extra_search_path: z.array(z.string()).default(["public", "extensions"]),
  max_rows: uint.default(1000),
  auto_expose_new_tables: z.boolean().optional(),
  port: port.optional(),
  tls: z.strictObject({ enabled: z.boolean(), cert_path: z.string(), key_path: z.string() }).partial().optional(),
  external_url: z.string().optional(),
});

const hookSchema = z.strictObject({ enabled: z.boolean().default(false), uri: z.string().optional(), secrets: z.string().optional() });
const factorSchema = z.strictObject({ enroll_enabled: z.boolean().default(false), verify_enabled: z.boolean().default(false) });
const providerSchema = z.strictObject({
  enabled: z.boolean().default(false),
  client_id: z.string().optional(),
  secret: z.string().optional(),
  url: z.string().optional(),
  redirect_uri: z.string().optional(),
  skip_nonce_check: z.boolean().optional(),
  email_optional: z.boolean().optional(),
});
const smsProvider = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ enabled: z.boolean().default(false), ...shape });
const thirdParty = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ enabled: z.boolean().default(false), ...shape });
const emailTemplateSchema = z.strictObject({
  subject: z.string().optional(),
  content: z.string().optional(),
  content_path: z.string().optional(),
});

/** `[auth]` as the CLI defines it, with the CLI's defaults where the devstack uses them. */
const authSchema = z.strictObject({
  enabled: z.boolean().default(true),
  // Unset, it is where `npm run dev` serves the app.
  site_url: z.url().default("http://localhost:3000"),
  external_url: z.string().optional(),
  additional_redirect_urls: z.array(z.string()).default([]),
  jwt_expiry: uint.max(604_800).default(3600),
  jwt_issuer: z.string().optional(),
  enable_refresh_token_rotation: z.boolean().default(true),
  refresh_token_reuse_interval: uint.default(10),
  enable_manual_linking: z.boolean().default(false),
  enable_signup: z.boolean().default(true),
  enable_anonymous_sign_ins: z.boolean().default(false),
  minimum_password_length: uint.default(6),
  password_requirements: z
    .enum(["", "letters_digits", "lower_upper_letters_digits", "lower_upper_letters_digits_symbols"])
    .default(""),
  signing_keys_path: z.string().optional(),
  passkey: z.strictObject({ enabled: z.boolean().default(false) }).optional(),
  webauthn: z.strictObject({ rp_display_name: z.string(), rp_id: z.string(), rp_origins: z.array(z.string()) }).partial().optional(),
  rate_limit: z
    .strictObject({
      anonymous_users: uint,
      token_refresh: uint,
      sign_in_sign_ups: uint,
      token_verifications: uint,
      email_sent: uint,
      sms_sent: uint,
      web3: uint,
    })
    .partial()
    .prefault({}),
  captcha: z
    .strictObject({ enabled: z.boolean().default(false), provider: z.enum(["hcaptcha", "turnstile"]).optional(), secret: z.string().optional() })
    .optional(),
  hook: z
    .strictObject({
      mfa_verification_attempt: hookSchema,
      password_verification_attempt: hookSchema,
      custom_access_token: hookSchema,
      send_sms: hookSchema,
      send_email: hookSchema,
      before_user_created: hookSchema,
    })
    .partial()
    .prefault({}),
  mfa: z
    .strictObject({
      totp: factorSchema.prefault({}),
      phone: factorSchema
        .extend({ otp_length: uint.optional(), template: z.string().optional(), max_frequency: duration.optional() })
        .strict()
        .prefault({}),
      web_authn: factorSchema.prefault({}),
      max_enrolled_factors: uint.default(10),
    })
    .prefault({}),
  sessions: z.strictObject({ timebox: duration, inactivity_timeout: duration }).partial().prefault({}),
  email: z
    .strictObject({
      enable_signup: z.boolean().default(true),
      double_confirm_changes: z.boolean().default(true),
      enable_confirmations: z.boolean().default(false),
      secure_password_change: z.boolean().default(false),
      template: z.record(z.string(), emailTemplateSchema).default({}),
      notification: z.record(z.string(), z.strictObject({ enabled: z.boolean().default(false) }).extend(emailTemplateSchema.shape).strict()).default({}),
      smtp: z
        .strictObject({
          enabled: z.boolean(),
          host: z.string(),
          port,
          user: z.string(),
          pass: z.string(),
          admin_email: z.email(),
          sender_name: z.string(),
        })
        .partial()
        .optional(),
      max_frequency: duration.default(1),
      otp_length: uint.min(6).max(10).default(6),
      otp_expiry: uint.max(86_400).default(3600),
    })
    .prefault({}),
  sms: z
    .strictObject({
      enable_signup: z.boolean().default(false),
      enable_confirmations: z.boolean().default(false),
      template: z.string().optional(),
      twilio: smsProvider({ account_sid: z.string(), message_service_sid: z.string(), auth_token: z.string() }).partial(),
      twilio_verify: smsProvider({ account_sid: z.string(), message_service_sid: z.string(), auth_token: z.string() }).partial(),
      messagebird: smsProvider({ originator: z.string(), access_key: z.string() }).partial(),
      textlocal: smsProvider({ sender: z.string(), api_key: z.string() }).partial(),
      vonage: smsProvider({ from: z.string(), api_key: z.string(), api_secret: z.string() }).partial(),
      test_otp: z.record(z.string(), z.string()),
      max_frequency: duration,
    })
    .partial()
    .prefault({}),
  external: z.record(z.string(), providerSchema).default({}),
  web3: z
    .strictObject({
      solana: z.strictObject({ enabled: z.boolean().default(false) }),
      ethereum: z.strictObject({ enabled: z.boolean().default(false) }),
    })
    .partial()
    .prefault({}),
  oauth_server: z
    .strictObject({ enabled: z.boolean(), allow_dynamic_registration: z.boolean(), authorization_url_path: z.string() })
    .partial()
    .prefault({}),
  publishable_key: z.string().optional(),
  secret_key: z.string().optional(),
  jwt_secret: z.string().optional(),
  anon_key: z.string().optional(),
  service_role_key: z.string().optional(),
  third_party: z
    .strictObject({
      firebase: thirdParty({ project_id: z.string() }).partial(),
      auth0: thirdParty({ tenant: z.string(), tenant_region: z.string() }).partial(),
      aws_cognito: thirdParty({ user_pool_id: z.string(), user_pool_region: z.string() }).partial(),
      clerk: thirdParty({ domain: z.string() }).partial(),
      workos: thirdParty({ issuer_url: z.string() }).partial(),
    })
    .partial()
    .prefault({}),
});

/** The whole file: sections the devstack doesn't serve are checked by name only. */
const section = z.record(z.string(), z.unknown());
const configSchema = z.strictObject({
  project_id: z.string().optional(),
  api: apiSchema.prefault({}),
  db: section.optional(),
  realtime: section.optional(),
  studio: section.optional(),
  inbucket: section.optional(),
  storage: section.optional(),
  auth: authSchema.prefault({}),
  edge_runtime: section.optional(),
  functions: section.optional(),
  analytics: section.optional(),
  experimental: section.optional(),
  remotes: section.optional(),
});

export type ProjectConfig = z.infer<typeof configSchema>;
export type AuthConfig = ProjectConfig["auth"];
export type SmtpSettings = { host: string; port: number; user: string; pass: string; adminEmail: string; senderName?: string };

/** Where a zod issue is, as the CLI names it: `'auth.email' has invalid keys: foo`. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") return `'${where || "(top level)"}' has invalid keys: ${issue.keys.join(", ")}`;
  return `'${where}': ${issue.message}`;
}

/** A copy of `value` with `keys` set to `leaf` (the objects on the way exist). */
function setPath(value: unknown, keys: string[], leaf: unknown): unknown {
  const [key, ...rest] = keys;
  if (key === undefined) return leaf;
  const object = z.record(z.string(), z.unknown()).parse(value);
  return { ...object, [key]: setPath(object[key], rest, leaf) };
}

/** Parses config.toml's text (env(NAME) resolved) or throws an error that names each bad key. */
export function parseProjectConfig(text: string, env: Environment = process.env): ProjectConfig {
  const raw = resolveEnvReferences(parseToml(text), env);
  // The CLI turns an [auth.email.smtp] section on unless it says `enabled = false`.
  const smtp = z.object({ auth: z.object({ email: z.object({ smtp: z.record(z.string(), z.unknown()) }) }) }).safeParse(raw);
  const withSmtpDefault =
    smtp.success && Object.keys(smtp.data.auth.email.smtp).length > 0 && !("enabled" in smtp.data.auth.email.smtp)
      ? setPath(raw, ["auth", "email", "smtp", "enabled"], true)
      : raw;
  const parsed = configSchema.safeParse(withSmtpDefault);
  if (!parsed.success) {
    throw new Error(
      `supabase/config.toml: failed to parse config (the Supabase CLI refuses it too):\n${parsed.error.issues.map((issue) => `  ${describeIssue(issue)}`).join("\n")}`,
    );
  }
  return parsed.data;
}

export async function readProjectConfig(projectDir: string, env: Environment = process.env): Promise<ProjectConfig> {
  return parseProjectConfig(await readFile(path.join(projectDir, "config.toml"), "utf8"), env);
}

/** `[auth.email.smtp]` when it is on; the CLI requires host, port, user, pass and admin_email then. */
export function smtpSettings(auth: AuthConfig): SmtpSettings | undefined {
  const smtp = auth.email.smtp;
  if (!smtp?.enabled) return undefined;
  const missing = (["host", "port", "user", "pass", "admin_email"] as const).filter((key) => smtp[key] === undefined || smtp[key] === "");
  if (missing.length > 0) {
    throw new Error(`supabase/config.toml: [auth.email.smtp] is enabled but lacks ${missing.join(", ")}`);
  }
  return {
    host: smtp.host ?? "",
    port: smtp.port ?? 0,
    user: smtp.user ?? "",
    pass: smtp.pass ?? "",
    adminEmail: smtp.admin_email ?? "",
    ...(smtp.sender_name && { senderName: smtp.sender_name }),
  };
}

/** lite's external providers (the ones it implements); the CLI's schema allows any name. */
const LITE_PROVIDERS = new Set([
  "apple", "azure", "bitbucket", "discord", "facebook", "github", "gitlab", "google", "kakao",
  "keycloak", "linkedin", "notion", "twitch", "twitter", "slack", "spotify", "workos", "zoom",
]);
const LITE_TEMPLATES = new Set(["invite", "confirmation", "recovery", "magic_link", "email_change"]);

/**
 * The `[auth]` settings in the shape @supabase/lite's own config schema takes. Settings lite
 * has no key for are left out here (devstack/README.md lists them); email templates get
 * their content_path resolved from the project root, as the CLI reads it.
 */
export function liteAuthConfig(auth: AuthConfig, projectDir: string) {
  const templates = Object.fromEntries(
    Object.entries(auth.email.template)
      .filter(([type]) => LITE_TEMPLATES.has(type))
      .map(([type, template]) => [
        type,
        {
          ...(template.subject !== undefined && { subject: template.subject }),
          // The CLI reads content_path from the project root, the folder that holds supabase/.
          ...(template.content_path && { content_path: path.resolve(projectDir, "..", template.content_path) }),
        },
      ]),
  );
  const seconds = (value: number | undefined) => (value === undefined || value === 0 ? undefined : `${value}s`);
  return {
    enabled: auth.enabled,
    site_url: auth.site_url,
    additional_redirect_urls: auth.additional_redirect_urls,
    jwt_expiry: auth.jwt_expiry,
    enable_refresh_token_rotation: auth.enable_refresh_token_rotation,
    refresh_token_reuse_interval: auth.refresh_token_reuse_interval,
    enable_manual_linking: auth.enable_manual_linking,
    enable_signup: auth.enable_signup,
    enable_anonymous_sign_ins: auth.enable_anonymous_sign_ins,
    minimum_password_length: auth.minimum_password_length,
    password_requirements: auth.password_requirements,
    hook: Object.fromEntries(
      Object.entries(auth.hook)
        .filter(([name]) => name !== "before_user_created")
        .map(([name, hook]) => [name, { enabled: hook.enabled, ...(hook.uri && { uri: hook.uri }), ...(hook.secrets && { secrets: [hook.secrets] }) }]),
    ),
    mfa: {
      totp: auth.mfa.totp,
      phone: {
        enroll_enabled: auth.mfa.phone.enroll_enabled,
        verify_enabled: auth.mfa.phone.verify_enabled,
        ...(auth.mfa.phone.otp_length !== undefined && { otp_length: auth.mfa.phone.otp_length }),
        ...(auth.mfa.phone.template !== undefined && { template: auth.mfa.phone.template }),
        ...(auth.mfa.phone.max_frequency !== undefined && { max_frequency: `${auth.mfa.phone.max_frequency}s` }),
      },
      max_enrolled_factors: auth.mfa.max_enrolled_factors,
    },
    sessions: {
      ...(seconds(auth.sessions.timebox) && { timebox: seconds(auth.sessions.timebox) }),
      ...(seconds(auth.sessions.inactivity_timeout) && { inactivity_timeout: seconds(auth.sessions.inactivity_timeout) }),
    },
    email: {
      enable_signup: auth.email.enable_signup,
      double_confirm_changes: auth.email.double_confirm_changes,
      enable_confirmations: auth.email.enable_confirmations,
      secure_password_change: auth.email.secure_password_change,
      max_frequency: `${auth.email.max_frequency}s`,
      template: templates,
      otp_length: auth.email.otp_length,
      otp_expiry: auth.email.otp_expiry,
    },
    external: Object.fromEntries(
      Object.entries(auth.external)
        .filter(([name]) => LITE_PROVIDERS.has(name))
        .map(([name, provider]) => [name, Object.fromEntries(Object.entries(provider).filter(([, value]) => value !== undefined))]),
    ),
  };
}

/** `[api]` in the shape lite takes: the schemas it exposes, their search path, the row cap. */
export function liteApiConfig(api: ProjectConfig["api"]) {
  return {
    enabled: api.enabled,
    schemas: api.schemas,
    extra_search_path: api.extra_search_path,
    max_rows: api.max_rows,
  };
}
