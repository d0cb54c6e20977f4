-- Rate limits: how often an organisation may ask for work (POST /api/reports, and any other
-- enqueue route that opts in through lib/rate-limit).
--
-- A token bucket per organisation and bucket name, kept in Postgres so every serverless
-- instance sees the same count. It is stored the GCRA way, as one timestamp: `tat`, the
-- "theoretical arrival time" at which the bucket would be full again. Each request moves
-- it `window / limit` into the future; a request that would move it more than `window`
-- ahead of now is refused, and the gap says exactly when to retry. So a limit of 60 per
-- 60 s allows a burst of 60, then one a second.
--
-- Cleanup: nothing piles up. There is one row per organisation and bucket, overwritten in
-- place (never one per window), and it goes when the organisation does. A row whose `tat`
-- has passed means a full bucket, exactly like no row.

create table public.rate_limits (
  org_id uuid not null references public.organisations (id) on delete cascade,
  bucket text not null check (bucket ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  tat timestamptz not null,
  primary key (org_id, bucket)
);

-- Only the server (service role) reads or writes it.
alter table public.rate_limits enable row level security;
revoke all on public.rate_limits from anon, authenticated, service_role;
grant select, insert, update, delete on public.rate_limits to service_role;

-- Takes one token from the organisation's bucket, atomically: the upsert's row lock
-- serialises concurrent callers, so N requests at once never get more than the limit.
-- Allowed: `remaining` tokens are left. Refused: nothing is recorded (a client hammering
-- the limit doesn't push its own retry later), and `retry_after_ms` says when one frees.
create function public.take_rate_limit_token(
  p_org_id uuid,
  p_bucket text,
  p_limit integer,
  p_window_seconds integer
)
returns table (allowed boolean, remaining integer, retry_after_ms integer)
language plpgsql
security invoker
set search_path = ''
as $$
declare
  now_ timestamptz := clock_timestamp();
  burst interval := make_interval(secs => p_window_seconds);
  step interval;
  new_tat timestamptz;
begin
  if p_limit < 1 or p_window_seconds < 1 then
    raise exception 'a rate limit needs limit >= 1 and window >= 1 s' using errcode = 'invalid_parameter_value';
  end if;
  -- Rounded down to whole microseconds (interval's precision), so `limit` steps never
  -- add up to a hair over the window and refuse the last token of a burst.
  step := make_interval(secs => floor(p_window_seconds * 1000000.0 / p_limit) / 1000000.0);

  insert into public.rate_limits as r (org_id, bucket, tat)
  values (p_org_id, p_bucket, now_ + step)
  on conflict (org_id, bucket) do update
    set tat = greatest(r.tat, now_) + step
    where greatest(r.tat, now_) + step - now_ <= burst
  returning r.tat into new_tat;

  if new_tat is not null then
    return query select
      true,
      floor(extract(epoch from burst - (new_tat - now_)) / extract(epoch from step))::integer,
      0;
    return;
  end if;

  -- Refused: the row exists and is locked by the upsert above, so this reads what it saw.
  select r.tat into new_tat from public.rate_limits r where r.org_id = p_org_id and r.bucket = p_bucket;
  return query select
    false,
    0,
    greatest(1, ceil(extract(epoch from new_tat + step - burst - now_) * 1000))::integer;
end;
$$;

revoke all on function public.take_rate_limit_token(uuid, text, integer, integer) from public, anon, authenticated, service_role;
grant execute on function public.take_rate_limit_token(uuid, text, integer, integer) to service_role;
