-- Run after @supabase/lite has created the auth schema: as on Supabase, the API roles may
-- call auth.uid()/auth.jwt() from policies but cannot read auth tables directly, and the
-- migration owner may reference auth.users and put triggers on it (a profile per sign-up).
grant usage on schema auth to anon, authenticated, service_role, migration_owner;
grant execute on all functions in schema auth to anon, authenticated, service_role, migration_owner;
grant select, references, trigger on all tables in schema auth to migration_owner;
