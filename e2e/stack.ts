import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Where the e2e stack listens: ports of its own, so a developer's `npm run dev` and its
 * data are never touched. Shared by playwright.config.ts and the tests.
 */
export const ports = { app: 3100, supabase: 55321, mail: 55324, inngest: 58288 };

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
};

export const devstackEnv = {
  DEVSTACK_DATA_DIR: "memory",
  DEVSTACK_SUPABASE_PORT: String(ports.supabase),
  DEVSTACK_MAIL_PORT: String(ports.mail),
  DEVSTACK_INNGEST_PORT: String(ports.inngest),
  DEVSTACK_INNGEST_APP_URL: `${urls.app}/api/inngest`,
};
