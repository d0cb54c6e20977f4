-- generate_activity computed its pseudo-random columns in integer arithmetic, which
-- overflows past ~271,000 rows in one call. Same function, bigint arithmetic.
create or replace function public.generate_activity(
  p_org_id uuid,
  p_rows integer,
  p_from timestamptz,
  p_to timestamptz
)
returns bigint
language sql
security definer
set search_path = ''
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
