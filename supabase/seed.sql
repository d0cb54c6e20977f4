-- Local seed data, applied once after the migrations (by `supabase start`/`db reset`
-- and by the devstack). Users are created through the sign-up API, never here, so that
-- the auth trigger builds their profile and organisation exactly as in production.
select 1;
