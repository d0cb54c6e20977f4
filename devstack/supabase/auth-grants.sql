-- Run after @supabase/lite has created the auth schema: as on Supabase, the API roles may
-- call auth.uid()/auth.jwt() from policies but cannot read auth tables directly.
grant usage on schema auth to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;
