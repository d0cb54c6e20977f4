-- Local seed data, applied once after the migrations (by `supabase start`/`db reset`
-- and by the devstack), never by `supabase db push`: what is here exists on development
-- and test databases only. Users are created through the sign-up API, never here, so that
-- the auth trigger builds their profile and organisation exactly as in production.

-- Demo data ---------------------------------------------------------------------
-- Realistic-looking activity for an organisation, so reports and digests have something
-- to chew on locally and in tests (`npm run db:activity`, the integration and e2e tests).
-- A generator, not rows: each caller picks the organisation, the amount and the period.
-- Service role only. Its own statement_timeout is the one the Data API applies to its RPC,
-- so a large batch isn't stopped by the API roles' 8 s.

create function public.generate_activity(
  p_org_id uuid,
  p_rows integer,
  p_from timestamptz,
  p_to timestamptz
)
returns bigint
language sql
security definer
set search_path = ''
set statement_timeout = '60s'
as $$
  with inserted as (
    insert into public.activities (org_id, type, actor, amount, occurred_at)
    select
      p_org_id,
      (array['signup', 'login', 'purchase', 'refund', 'invite', 'export'])[1 + (i % 6)],
      'user' || (1 + (i * 7919) % 500) || '@example.com',
      case i % 6 when 2 then round((5 + (i * 37) % 495)::numeric, 2)
                 when 3 then -round((1 + (i * 13) % 99)::numeric, 2)
                 else 0 end,
      p_from + (p_to - p_from) * ((i - 1)::double precision / greatest(p_rows, 1))
    from generate_series(1::bigint, p_rows::bigint) as i
    returning 1
  )
  select count(*) from inserted;
$$;

revoke all on function public.generate_activity(uuid, integer, timestamptz, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.generate_activity(uuid, integer, timestamptz, timestamptz) to service_role;
