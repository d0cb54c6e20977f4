import type { Connection } from "@supabase/lite";
import { sql } from "kysely";
import { z } from "zod";
import type { QueryRunner } from "./migrations";

/**
 * Limits a hosted Supabase project puts on its Data API that a bare database doesn't, so
 * code that would fail in production fails locally too: per-role statement timeouts, the
 * gateway's request-URL limit, and `safeupdate`.
 */

/** Hosted projects set statement timeouts per role (bootstrap.sql copies them). */
const API_ROLES = ["anon", "authenticated", "service_role", "authenticator"] as const;

export type RoleTimeouts = Map<string, { statementTimeoutMs: number; lockTimeoutMs: number }>;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A PostgreSQL time setting (`3s`, `500`, `1min`) in milliseconds; a bare number is ms. */
export function settingToMs(value: string): number {
  const match = /^\s*(\d+)\s*(ms|s|min|h|d)?\s*$/.exec(value);
  if (!match) throw new Error(`Unreadable time setting: ${value}`);
  return Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 1);
}

/** Reads each API role's `statement_timeout` and `lock_timeout` (ms; 0 = none). */
export async function readRoleTimeouts(query: QueryRunner): Promise<RoleTimeouts> {
  const rows = await query<{ rolname: string; setconfig: string[] }>(
    `select r.rolname, s.setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
     where s.setdatabase = 0 and r.rolname = any($1)`,
    [[...API_ROLES]],
  );
  return new Map(
    rows.map(({ rolname, setconfig }) => {
      const settings = new Map(setconfig.map((entry) => entry.split("=", 2) as [string, string]));
      const ms = (name: string) => settingToMs(settings.get(name) ?? "0");
      return [rolname, { statementTimeoutMs: ms("statement_timeout"), lockTimeoutMs: ms("lock_timeout") }];
    }),
  );
}

const varsSchema = z.object({ auth: z.object({ role: z.string().optional() }).optional() });

/** The limits for a request made as `role`: its own, else those of the login it runs under. */
function limitsFor(timeouts: RoleTimeouts, role: string) {
  const own = timeouts.get(role);
  const login = timeouts.get("authenticator");
  return {
    statementTimeoutMs: own?.statementTimeoutMs || login?.statementTimeoutMs || 0,
    lockTimeoutMs: own?.lockTimeoutMs || login?.lockTimeoutMs || 0,
  };
}

const optsSchema = z.object({ rpc: z.object({ path: z.string() }).optional() }).optional();

/**
 * Makes every Data API request run under its role's timeouts, as PostgREST does when it
 * switches to the role of the request, or under the called function's own
 * `set statement_timeout`, which PostgREST applies before an RPC. PostgreSQL enforces
 * them. PGlite can't interrupt a running statement, so there a request that ran longer
 * than its limit is rolled back afterwards with PostgreSQL's error: the outcome
 * production has, if not its timing.
 */
export function enforceRoleTimeouts(
  connection: Connection,
  { timeouts, query, kind }: { timeouts: RoleTimeouts; query: QueryRunner; kind: "pglite" | "postgres" },
) {
  const functionTimeouts = new Map<string, Promise<number>>();
  const functionTimeout = (name: string) => {
    let timeout = functionTimeouts.get(name);
    if (!timeout) {
      timeout = query<{ setting: string | null }>(
        `select (select split_part(c, '=', 2) from unnest(p.proconfig) c where c like 'statement_timeout=%') as setting
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = 'public' and p.proname = $1 limit 1`,
        [name],
      ).then(([row]) => (row?.setting ? settingToMs(row.setting) : 0));
      functionTimeouts.set(name, timeout);
    }
    return timeout;
  };

  const withContext = connection.withContext.bind(connection);
  connection.withContext = async (vars, fn, opts) => {
    const parsed = varsSchema.safeParse(vars);
    if (!vars || !parsed.success) return withContext(vars, fn, opts);
    const limits = limitsFor(timeouts, parsed.data.auth?.role || "anon");
    const rpc = /^\/rpc\/([^/]+)$/.exec(optsSchema.safeParse(opts).data?.rpc?.path ?? "");
    const statementTimeoutMs = (rpc?.[1] && (await functionTimeout(rpc[1]))) || limits.statementTimeoutMs;
    const { lockTimeoutMs } = limits;
    if (!statementTimeoutMs && !lockTimeoutMs) return withContext(vars, fn, opts);
    return withContext(
      vars,
      async (db) => {
        await sql`select set_config('statement_timeout', ${String(statementTimeoutMs)}, true),
                         set_config('lock_timeout', ${String(lockTimeoutMs)}, true)`.execute(db);
        const started = performance.now();
        const result = await fn(db);
        if (kind === "pglite" && statementTimeoutMs && performance.now() - started > statementTimeoutMs) {
          throw Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
        }
        return result;
      },
      opts,
    );
  };
}

/**
 * The hosted API gateway refuses a request line longer than about 8 KB with `414` before
 * it reaches PostgREST; an `.in()` filter with a few hundred UUIDs crosses it.
 */
export const MAX_REQUEST_LINE_BYTES = 8192;

/** Query parameters PostgREST reads that are not filters (everything else becomes a WHERE). */
const NON_FILTER_PARAMS = new Set(["select", "order", "limit", "offset", "on_conflict", "columns", "apikey"]);

/**
 * In front of the Data API: what the hosted gateway and PostgreSQL's `safeupdate` (preloaded
 * for API sessions on hosted projects) refuse before a query runs.
 */
export function gatewayRefusal(request: Request): Response | null {
  const url = new URL(request.url);
  const requestLine = `${request.method} ${url.pathname}${url.search} HTTP/1.1`;
  if (Buffer.byteLength(requestLine) > MAX_REQUEST_LINE_BYTES) {
    return new Response("<html><head><title>414 Request-URI Too Large</title></head></html>\n", {
      status: 414,
      headers: { "content-type": "text/html" },
    });
  }
  const table = /^\/rest\/v1\/(?!rpc\/)[^/]+$/.test(url.pathname);
  if (table && (request.method === "DELETE" || request.method === "PATCH")) {
    const filtered = [...url.searchParams.keys()].some((key) => !NON_FILTER_PARAMS.has(key));
    if (!filtered) {
      const statement = request.method === "DELETE" ? "DELETE" : "UPDATE";
      return Response.json(
        { code: "21000", details: null, hint: null, message: `${statement} requires a WHERE clause` },
        { status: 400 },
      );
    }
  }
  return null;
}
