-- What a hosted Supabase project provides before any migration runs, reduced to the parts
-- Offload's migrations rely on, as projects are created today (see devstack/README.md):
--   * the API roles, and usage on `public`, but NO privileges on what migrations create
--     there: each migration grants what each role needs, or the Data API answers 42501;
--   * a migration owner that is not a superuser (hosted projects' `postgres`: BYPASSRLS,
--     CREATEROLE), so a migration that needs superuser powers fails here as it would there;
--   * per-role statement timeouts, which the devstack applies to each API request the way
--     PostgREST applies the settings of the role it switches to.
-- `supabase start` gets these from the supabase/postgres image; the devstack applies them
-- once to a fresh database (PGlite or PostgreSQL). Idempotent: roles are cluster-wide on
-- PostgreSQL, so several databases on one server share them.

do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role', 'authenticator', 'migration_owner'] loop
    if not exists (select from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin noinherit', r);
      exception when duplicate_object then null; -- created by a concurrent bootstrap
      end;
    end if;
  end loop;
end $$;

alter role service_role bypassrls;
grant anon, authenticated, service_role to authenticator;

-- The migration owner: what `postgres` is on a hosted project. It owns what migrations
-- create, bypasses row-level security, and may grant the API roles.
alter role migration_owner nosuperuser bypassrls createrole;
grant anon, authenticated, service_role to migration_owner with admin option;
grant usage, create on schema public to migration_owner;
-- Hosted `postgres` may create schemas (say, one more for [api] schemas to expose).
do $$ begin
  execute format('grant create on database %I to migration_owner', current_database());
end $$;

-- Hosted projects' per-role limits. The API roles never log in, so PostgreSQL itself never
-- applies these; the devstack reads them back and applies them per request.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role, migration_owner;

grant usage on schema public to anon, authenticated, service_role;
-- PostgreSQL lets PUBLIC execute every new function; hosted projects keep that default,
-- so migrations revoke it from functions the API roles must not call.

-- A database prepared by an older devstack had its tables owned by the superuser; hand
-- them to the migration owner so later migrations can alter them.
do $$
declare
  obj record;
begin
  for obj in
    select format('alter table %I.%I owner to migration_owner', n.nspname, c.relname) as ddl
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_roles o on o.oid = c.relowner
    where n.nspname = 'public' and c.relkind in ('r', 'v', 'm', 'p') and o.rolsuper
    union all
    select format('alter function %s owner to migration_owner', p.oid::regprocedure)
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    join pg_roles o on o.oid = p.proowner
    where n.nspname = 'public' and o.rolsuper
    union all
    select format('alter type %I.%I owner to migration_owner', n.nspname, t.typname)
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    join pg_roles o on o.oid = t.typowner
    where n.nspname = 'public' and t.typtype = 'e' and o.rolsuper
  loop
    execute obj.ddl;
  end loop;
end $$;
