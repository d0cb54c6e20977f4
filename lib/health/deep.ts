import "server-only";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { Resend } from "resend";
import { env, type ServerEnv } from "@/lib/env";
import type { Database } from "@/lib/supabase/database.types";

/**
 * The deep health check behind GET /api/health?deep=1: per service, whether it is
 * configured and reachable, and whether the database grants the app needs are in place.
 * It answers in short codes only, never with a value, a URL or an error message, so the
 * answer is safe to show a monitor.
 */

/** Every public table the app reads or writes; the check fails to compile if one is missing. */
export const TABLES = [
  "activities",
  "alert_incidents",
  "alert_notifications",
  "audit_log",
  "current_organisations",
  "inngest_contacts",
  "invitations",
  "job_counters",
  "job_duration_buckets",
  "jobs",
  "memberships",
  "notifications",
  "organisations",
  "platform_admins",
  "profiles",
  "rate_limits",
  "report_chunks",
  "reports",
  "webhook_attempts",
  "webhook_endpoints",
  "webhook_messages",
  "webhook_secrets",
] as const satisfies readonly TableName[];
type TableName = keyof Database["public"]["Tables"];
type Unlisted = Exclude<TableName, (typeof TABLES)[number]>;
const everyTableListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTableListed;

/** Each call gives up after this long, so the check answers well within a monitor's timeout. */
const TIMEOUT_MS = 5_000;

/** Why a check failed (or was skipped), as a code a runbook can look up. */
export type Reason =
  | "unreachable"
  | "unauthorized"
  | "missing_grants"
  | "missing_table"
  | "unexpected_answer"
  | "no_side_effect_free_ping";

export type ServiceCheck = {
  configured: boolean;
  /** null when the check doesn't call the service (see `reason`). */
  reachable: boolean | null;
  ok: boolean;
  reason?: Reason;
};

export type DeepHealth = {
  ok: boolean;
  services: {
    supabaseData: ServiceCheck;
    supabaseAuth: ServiceCheck;
    inngest: ServiceCheck & { mode: "cloud" | "dev" };
    resend: ServiceCheck;
  };
  /** Whether the secret key's role (service_role) can read each table: "ok" or why not. */
  grants: { ok: boolean; tables: Record<TableName, "ok" | Reason> };
};

type Db = SupabaseClient<Database>;

export async function deepHealth(vars: ServerEnv = env()): Promise<DeepHealth> {
  // A client of its own, whose every request gives up after TIMEOUT_MS.
  const db: Db = createClient<Database>(vars.SUPABASE_URL, vars.SUPABASE_SECRET_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }) },
  });
  const [grants, supabaseAuth, resend] = await Promise.all([
    checkTableGrants(db),
    checkSupabaseAuth(db),
    checkResend(new Resend(vars.RESEND_API_KEY)),
  ]);
  const supabaseData = dataApiFrom(grants.answers);
  const inngest = checkInngest(vars);
  const services = { supabaseData, supabaseAuth, inngest, resend };
  const ok = Object.values(services).every((service) => service.ok) && grants.report.ok;
  return { ok, services, grants: grants.report };
}

type TableAnswer = "ok" | Reason;

/**
 * One `select … limit 0` per table with the secret key: reads no rows, needs the SELECT
 * grant. No retries: a health check reports how things are now.
 */
export async function checkTableGrants(db: Db): Promise<{ report: DeepHealth["grants"]; answers: TableAnswer[] }> {
  const answers = await Promise.all(
    TABLES.map(async (table): Promise<TableAnswer> => {
      const { error, status } = await db.from(table).select("*").limit(0).retry(false);
      if (!error) return "ok";
      if (status === 0) return "unreachable";
      if (error.code === "42501") return "missing_grants";
      // 42P01: no such relation; PGRST205: not in the Data API's schema cache (not migrated).
      if (error.code === "42P01" || error.code === "PGRST205") return "missing_table";
      if (status === 401 || status === 403) return "unauthorized";
      return "unexpected_answer";
    }),
  );
  const tables = Object.fromEntries(TABLES.map((table, i) => [table, answers[i]!])) as Record<TableName, TableAnswer>;
  return { report: { ok: answers.every((answer) => answer === "ok"), tables }, answers };
}

/** The Data API is reachable when any table got an answer from it, and usable when the key was accepted. */
function dataApiFrom(answers: TableAnswer[]): ServiceCheck {
  if (answers.every((answer) => answer === "unreachable")) {
    return { configured: true, reachable: false, ok: false, reason: "unreachable" };
  }
  if (answers.includes("unauthorized")) return { configured: true, reachable: true, ok: false, reason: "unauthorized" };
  return { configured: true, reachable: true, ok: true };
}

/**
 * Asks Auth to verify a token that is not one. Only the Auth server itself answers
 * `bad_jwt`, so that answer proves Auth is up and its gateway took the key, without
 * reading or changing anything. (The admin API would prove the secret key too, but only
 * by reading users.)
 */
async function checkSupabaseAuth(db: Db): Promise<ServiceCheck> {
  const { error } = await db.auth.getUser("not-a-session");
  if (error?.code === "bad_jwt") return { configured: true, reachable: true, ok: true };
  if (error && !error.status) return { configured: true, reachable: false, ok: false, reason: "unreachable" };
  // 401 without an Auth error code: the gateway refused the key.
  if (error?.status === 401) return { configured: true, reachable: true, ok: false, reason: "unauthorized" };
  return { configured: true, reachable: true, ok: false, reason: "unexpected_answer" };
}

/**
 * Inngest has no documented call that proves reach and keys without a side effect (an
 * event would start runs), so this reports the configuration only. Inngest's own sync
 * is the live check: the app's page in the Inngest dashboard shows the last one.
 */
function checkInngest(vars: ServerEnv): DeepHealth["services"]["inngest"] {
  if (vars.INNGEST_DEV) return { mode: "dev", configured: true, reachable: null, ok: true, reason: "no_side_effect_free_ping" };
  const configured = Boolean(vars.INNGEST_SIGNING_KEY && vars.INNGEST_EVENT_KEY);
  return { mode: "cloud", configured, reachable: null, ok: configured, reason: "no_side_effect_free_ping" };
}

/**
 * Resend's `domains.list` reads and changes nothing. A sending-only key may not call it
 * and says so (`restricted_api_key`), which still proves the key is Resend's and valid.
 */
async function checkResend(resend: Resend): Promise<ServiceCheck> {
  const { error } = await resend.domains.list(undefined, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!error || error.name === "restricted_api_key") return { configured: true, reachable: true, ok: true };
  if (error.statusCode === null) return { configured: true, reachable: false, ok: false, reason: "unreachable" };
  if (error.name === "invalid_api_key" || error.name === "missing_api_key") {
    return { configured: true, reachable: true, ok: false, reason: "unauthorized" };
  }
  return { configured: true, reachable: true, ok: false, reason: "unexpected_answer" };
}
