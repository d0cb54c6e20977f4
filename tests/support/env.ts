/**
 * A complete, valid environment for lib/env.ts (local services: INNGEST_DEV set), for
 * tests that need one to start from and change a variable or two.
 */
export const validEnv = {
  APP_URL: "http://localhost:3000",
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_PUBLISHABLE_KEY: "sb_publishable_x",
  SUPABASE_SECRET_KEY: "sb_secret_x",
  RESEND_API_KEY: "re_x",
  EMAIL_FROM: "Offload <hello@example.com>",
  INNGEST_DEV: "http://127.0.0.1:8288",
  UNSUBSCRIBE_SECRET: "x".repeat(32),
  INVITATION_SECRET: "i".repeat(32),
  WEBHOOKS_ALLOW_LOOPBACK: "false",
  WEBHOOK_RETRY_TIME_SCALE: "1",
} as const satisfies Record<string, string>;
