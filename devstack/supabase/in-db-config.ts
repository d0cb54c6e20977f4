import type { QueryRunner } from "./migrations";

/**
 * PostgREST's in-database configuration, as hosted Supabase projects use it: settings on
 * the `authenticator` role (`alter role authenticator set pgrst.db_aggregates_enabled =
 * 'true'`), read when the server starts and again on `notify pgrst, 'reload config'`;
 * `notify pgrst` with an empty payload or `'reload schema'` reloads the schema cache.
 * (PostgREST: src/library/PostgREST/Config/Database.hs `queryDbSettings`,
 * AppState/Reload.hs `handleNotification`.)
 */

export type InDbSettings = Map<string, string>;

/**
 * The `pgrst.*` settings of the `authenticator` role: database-specific ones win over
 * the role's global ones, as in PostgREST. Names are returned without the prefix.
 */
export async function readInDbSettings(query: QueryRunner): Promise<InDbSettings> {
  const rows = await query<{ key: string; value: string }>(
    `with role_setting as (
       select s.setdatabase as database, unnest(s.setconfig) as setting
         from pg_catalog.pg_db_role_setting s
        where s.setrole = 'authenticator'::regrole
          and s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_catalog))
     ), kv as (
       select database, substr(setting, 1, strpos(setting, '=') - 1) as k, substr(setting, strpos(setting, '=') + 1) as v
         from role_setting
     )
     select distinct on (k) replace(k, 'pgrst.', '') as key, v as value
       from kv where k like 'pgrst.%' and v is not null
      order by k, database desc`,
  );
  return new Map(rows.map(({ key, value }) => [key, value]));
}

/** PostgREST reads its booleans leniently: true/on/yes/1 (any case) are true. */
export function settingIsTrue(value: string | undefined): boolean {
  return value !== undefined && ["true", "on", "yes", "1"].includes(value.trim().toLowerCase());
}

/** The Data API settings lite reads per request that an in-database setting can change. */
export type MutableApiConfig = { aggregates_enabled?: boolean };

/** Applies the settings lite can honour to its `[api]` config, in place. */
export function applyInDbSettings(api: MutableApiConfig, settings: InDbSettings): void {
  api.aggregates_enabled = settingIsTrue(settings.get("db_aggregates_enabled"));
}

/** What a `pgrst` notification asks for, as PostgREST reads its payload; null = ignored. */
export function pgrstNotification(payload: string): "reload schema" | "reload config" | null {
  if (payload === "" || payload === "reload schema") return "reload schema";
  if (payload === "reload config") return "reload config";
  return null;
}
