/**
 * `npm run devstack`: local stand-ins for the hosted services, on their usual ports.
 * `--no-inngest` leaves Inngest out, for `npm run dev:inngest-cli` (the official dev server).
 *
 *   DATABASE_URL       use this PostgreSQL server instead of embedded PGlite
 *   DEVSTACK_DATA_DIR  where PGlite keeps its files (default .devstack/pglite; "memory" keeps nothing)
 *   DEVSTACK_SUPABASE_PORT  (default 54321)
 *   DEVSTACK_MAIL_PORT      (default 54324)
 *   DEVSTACK_WEBHOOKS_PORT  (default 54325)
 *   DEVSTACK_INNGEST_PORT   (default 8288)
 *   DEVSTACK_OTEL_PORT      the OTLP/HTTP trace receiver (default 4318)
 *   DEVSTACK_INNGEST_APP_URL  the app's Inngest endpoint (default http://127.0.0.1:3000/api/inngest)
 *   DEVSTACK_INNGEST_BACKOFF_MS  first retry delay (default 1000; tests use less)
 *   SUPABASE_AUTH_SITE_URL  the app's URL, which auth email links start with (default http://localhost:3000)
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseDevstackArgs, type DevstackArgs } from "./cli-args";
import { DEFAULT_PORTS } from "./ports";
import { startInngest } from "./inngest/server";
import { startMail } from "./mail/server";
import { startTraceReceiver } from "./otel/server";
import { resendAuthMail } from "./supabase/auth-mail";
import { startSupabase } from "./supabase/server";
import { startWebhookCatcher } from "./webhooks/server";

process.env.DO_NOT_TRACK = "1";

let args: DevstackArgs;
try {
  args = parseDevstackArgs(process.argv.slice(2));
} catch (error) {
  console.error(`devstack: ${(error as Error).message}`);
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const env = z
  .object({
    DATABASE_URL: z.string().url().optional(),
    DEVSTACK_DATA_DIR: z.string().default(path.join(root, ".devstack", "pglite")),
    DEVSTACK_SUPABASE_PORT: z.coerce.number().int().positive().default(DEFAULT_PORTS.supabase),
    DEVSTACK_MAIL_PORT: z.coerce.number().int().positive().default(DEFAULT_PORTS.mail),
    DEVSTACK_WEBHOOKS_PORT: z.coerce.number().int().positive().default(DEFAULT_PORTS.webhooks),
    DEVSTACK_INNGEST_PORT: z.coerce.number().int().positive().default(DEFAULT_PORTS.inngest),
    DEVSTACK_OTEL_PORT: z.coerce.number().int().positive().default(DEFAULT_PORTS.otel),
    DEVSTACK_INNGEST_APP_URL: z.string().url().default("http://127.0.0.1:3000/api/inngest"),
    DEVSTACK_INNGEST_BACKOFF_MS: z.coerce.number().int().positive().optional(),
  })
  .parse(process.env);

const inMemory = env.DEVSTACK_DATA_DIR === "memory";
const started = Date.now();
const supabase = await startSupabase({
  projectDir: path.join(root, "supabase"),
  port: env.DEVSTACK_SUPABASE_PORT,
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATABASE_URL || inMemory ? undefined : env.DEVSTACK_DATA_DIR,
  // Confirmation, recovery and email-change emails land in the local inbox.
  authMail: resendAuthMail({ url: `http://127.0.0.1:${env.DEVSTACK_MAIL_PORT}` }),
}).catch((error: unknown) => {
  console.error(`devstack: Supabase failed to start: ${(error as Error).message}`);
  process.exit(1);
});

const mail = await startMail({
  port: env.DEVSTACK_MAIL_PORT,
  dataDir: inMemory ? undefined : path.join(root, ".devstack", "mail"),
}).catch(async (error: unknown) => {
  console.error(`devstack: mail failed to start: ${(error as Error).message}`);
  await supabase.close();
  process.exit(1);
});

const webhooks = await startWebhookCatcher({
  port: env.DEVSTACK_WEBHOOKS_PORT,
  dataDir: inMemory ? undefined : path.join(root, ".devstack", "webhooks"),
}).catch(async (error: unknown) => {
  console.error(`devstack: webhook catcher failed to start: ${(error as Error).message}`);
  await Promise.all([supabase.close(), mail.close()]);
  process.exit(1);
});

const traces = await startTraceReceiver({ port: env.DEVSTACK_OTEL_PORT }).catch(async (error: unknown) => {
  console.error(`devstack: trace receiver failed to start: ${(error as Error).message}`);
  await Promise.all([supabase.close(), mail.close(), webhooks.close()]);
  process.exit(1);
});

const inngest = !args.inngest
  ? undefined
  : await startInngest({
      port: env.DEVSTACK_INNGEST_PORT,
      appUrls: [env.DEVSTACK_INNGEST_APP_URL],
      dataDir: inMemory ? undefined : path.join(root, ".devstack", "inngest"),
      backoffBaseMs: env.DEVSTACK_INNGEST_BACKOFF_MS,
    }).catch(async (error: unknown) => {
      console.error(`devstack: Inngest failed to start: ${(error as Error).message}`);
      await Promise.all([supabase.close(), mail.close(), webhooks.close(), traces.close()]);
      process.exit(1);
    });

const database = env.DATABASE_URL
  ? `PostgreSQL ${new URL(env.DATABASE_URL).host}${new URL(env.DATABASE_URL).pathname}`
  : inMemory
    ? "PGlite in memory"
    : `PGlite in ${path.relative(process.cwd(), env.DEVSTACK_DATA_DIR) || "."}`;
console.log(
  [
    `devstack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  Supabase API (rest + auth)  ${supabase.url}    over ${database}`,
    `  Resend API + inbox          ${mail.url}`,
    `  Webhook catcher             ${webhooks.url}    POST to any path, e.g. ${webhooks.url}/my-endpoint`,
    `  Traces (OTLP/HTTP + pages)  ${traces.url}     the app exports here when OTEL_EXPORTER_OTLP_ENDPOINT is set`,
    inngest
      ? `  Inngest (runs page + API)   ${inngest.url}     executing ${env.DEVSTACK_INNGEST_APP_URL}`
      : `  Inngest                     not started (--no-inngest): run the official dev server on ${env.DEVSTACK_INNGEST_PORT}`,
  ].join("\n"),
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all([supabase.close(), mail.close(), webhooks.close(), traces.close(), inngest?.close()]);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
