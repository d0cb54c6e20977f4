import { nextEnv } from "../tests/support/next";

/**
 * Where the e2e stack listens: ports of its own, so a developer's `npm run dev` and its
 * data are never touched. Shared by playwright.config.ts, the stack's scripts and the tests.
 * `E2E_PORT_OFFSET` shifts every port, so two checkouts can run their browser tests side
 * by side.
 */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const ports = {
  app: 3100 + offset,
  supabase: 55321 + offset,
  mail: 55324 + offset,
  webhooks: 55325 + offset,
  inngest: 58288 + offset,
  sql: 56321 + offset,
};

export const urls = {
  app: `http://localhost:${ports.app}`,
  supabase: `http://127.0.0.1:${ports.supabase}`,
  mail: `http://127.0.0.1:${ports.mail}`,
  /** The webhook catcher: endpoints for specs are `${urls.webhooks}/<path>`, its JSON API at `/api/messages`. */
  webhooks: `http://127.0.0.1:${ports.webhooks}`,
  inngest: `http://127.0.0.1:${ports.inngest}`,
  /** The e2e devstack's test-only SQL endpoint (tests/support/sql-hook.ts). */
  sql: `http://127.0.0.1:${ports.sql}`,
};

/** The e2e app's build directory, apart from `next dev`'s and the integration tests'. */
export const APP_DIST_DIR = ".next-e2e";

/** What the e2e app's environment sets over the tests' (tests/support/next.ts). */
export const appSettings = {
  SUPABASE_URL: urls.supabase,
  RESEND_BASE_URL: urls.mail,
  INNGEST_DEV: urls.inngest,
  // Long enough to see a report running, short enough for a test to wait for.
  REPORT_EMAIL_OFFER_AFTER_SECONDS: "2",
};

/** The e2e app's whole environment, for a test that computes what the app computes. */
export const appEnv = nextEnv({ mode: "production", distDir: APP_DIST_DIR, appUrl: urls.app, env: appSettings });
