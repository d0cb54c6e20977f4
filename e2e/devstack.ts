/**
 * The e2e devstack: the services `npm run devstack` starts, all in memory on the e2e
 * ports, so every run begins empty, plus the test-only SQL endpoint the specs check the
 * app's answers with (e2e/sql.ts). PGlite lives in this process, so the endpoint does too.
 */
import path from "node:path";
import { startInngest } from "../devstack/inngest/server";
import { startMail } from "../devstack/mail/server";
import { resendAuthMail } from "../devstack/supabase/auth-mail";
import { startSupabase } from "../devstack/supabase/server";
import { startWebhookCatcher } from "../devstack/webhooks/server";
import { startSqlHook } from "../tests/support/sql-hook";
import { ports, urls } from "./stack";

process.env.DO_NOT_TRACK = "1";
// Auth email links (supabase/templates) start with the Site URL (config.toml): the e2e app's.
process.env.SUPABASE_AUTH_SITE_URL = urls.app;

const supabase = await startSupabase({
  projectDir: path.resolve(import.meta.dirname, "../supabase"),
  port: ports.supabase,
  authMail: resendAuthMail({ url: urls.mail }),
});
const mail = await startMail({ port: ports.mail });
const webhooks = await startWebhookCatcher({ port: ports.webhooks });
const inngest = await startInngest({ port: ports.inngest, appUrls: [`${urls.app}/api/inngest`] });
const sql = await startSqlHook(supabase.query, ports.sql);
console.log(`e2e devstack ready: Supabase ${supabase.url} over PGlite in memory, mail ${mail.url}, webhooks ${webhooks.url}, Inngest ${inngest.url}, SQL ${sql.url}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all([sql.close(), supabase.close(), mail.close(), webhooks.close(), inngest.close()]);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
