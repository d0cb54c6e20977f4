import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { testAuthLimits } from "../tests/support/app";

/**
 * Where the e2e stack listens: ports of its own, so a developer's `npm run dev` and its
 * data are never touched. Shared by playwright.config.ts and the tests.
 * `E2E_PORT_OFFSET` shifts every port (and the database name), so two checkouts can run
 * their browser tests side by side.
 */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const ports = { app: 3100 + offset, supabase: 55321 + offset, mail: 55324 + offset, inngest: 58288 + offset };

export const urls = {
  app: `http://localhost:${ports.app}`,
  supabase: `http://127.0.0.1:${ports.supabase}`,
  mail: `http://127.0.0.1:${ports.mail}`,
  inngest: `http://127.0.0.1:${ports.inngest}`,
};

/** The app's local environment (.env.development), moved to the e2e ports. */
export const appEnv = {
  ...parseEnv(readFileSync(".env.development", "utf8")),
  NEXT_DIST_DIR: ".next-e2e",
  APP_URL: urls.app,
  SUPABASE_URL: urls.supabase,
  RESEND_BASE_URL: urls.mail,
  INNGEST_DEV: urls.inngest,
  // A production build (`next start`) against the devstack: lib/env.ts wants it said.
  OFFLOAD_LOCAL_SERVICES: "1",
  // Long enough to see a report running, short enough for a test to wait for.
  REPORT_EMAIL_OFFER_AFTER_SECONDS: "2",
  // Every test signs up and in from this one address, as the integration tests do.
  ...testAuthLimits,
};

/**
 * The e2e devstack runs on the PostgreSQL server (the one integration tests use), in a
 * database recreated for every run, so a test can compare what the app shows with SQL.
 */
const databaseName = offset ? `offload_e2e_${offset}` : "offload_e2e";
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const e2eDatabase = {
  name: databaseName,
  adminUrl,
  url: Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString(),
};

export const devstackEnv = {
  DATABASE_URL: e2eDatabase.url,
  DEVSTACK_SUPABASE_PORT: String(ports.supabase),
  DEVSTACK_MAIL_PORT: String(ports.mail),
  DEVSTACK_INNGEST_PORT: String(ports.inngest),
  DEVSTACK_INNGEST_APP_URL: `${urls.app}/api/inngest`,
  // Auth email links (supabase/templates) start with the Site URL: the e2e app's.
  SUPABASE_AUTH_SITE_URL: urls.app,
};
