-- What a Supabase project provides before any migration runs, reduced to the parts
-- Offload's migrations rely on. `supabase start` gets these from the supabase/postgres
-- image; the devstack applies them once to a fresh database (PGlite or PostgreSQL).
-- Idempotent: roles are cluster-wide on PostgreSQL, so several test databases share them.

do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role', 'authenticator'] loop
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

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;

-- Supabase's defaults: every API role may use public and gets all privileges on what
-- is created there; row-level security and explicit revokes in migrations narrow it.
grant usage on schema public to anon, authenticated, service_role;
grant all on all tables in schema public to anon, authenticated, service_role;
grant all on all sequences in schema public to anon, authenticated, service_role;
grant all on all functions in schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
