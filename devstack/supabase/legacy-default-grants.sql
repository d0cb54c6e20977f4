-- Supabase's default privileges before 2026: everything the migration owner creates in
-- `public` is granted to every API role. Hosted projects no longer do this; the devstack
-- applies it only when asked (`legacyDefaultGrants`), to check a migration works on both.
alter default privileges for role migration_owner in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role migration_owner in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role migration_owner in schema public
  grant all on functions to anon, authenticated, service_role;
