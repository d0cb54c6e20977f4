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

-- The arithmetic every token bucket shares (public.rate_limits here, and the keyed buckets of
-- 20261202020000_auth_rate_limits.sql). A bucket is its `tat`: the time at which it would be
-- full again. Each token moves it one `step` (window / limit) later; a take is allowed while
-- `tat` stays within one window of now. In `private`, out of the Data API's reach; the
-- functions that use them run as their owner.

-- window / limit, rounded down to whole microseconds (interval's precision), so `limit`
-- steps never add up to a hair over the window and refuse the last token of a burst.
create function private.rate_limit_step(p_limit integer, p_window_seconds integer)
returns interval
language sql
immutable
as $$
  select make_interval(secs => floor(p_window_seconds * 1000000.0 / p_limit) / 1000000.0)
$$;

-- What a take answers. Allowed (`p_new_tat` is the bucket after it): how many tokens are
-- left. Refused (`p_new_tat` is the bucket as it stands): how long until `p_cost` tokens are.
create function private.rate_limit_answer(
  p_allowed boolean,
  p_new_tat timestamptz,
  p_now timestamptz,
  p_step interval,
  p_window_seconds integer,
  p_cost integer
)
returns table (allowed boolean, remaining integer, retry_after_ms integer)
language sql
immutable
as $$
  select
    p_allowed,
    case when p_allowed
      then floor(extract(epoch from make_interval(secs => p_window_seconds) - (p_new_tat - p_now)) / extract(epoch from p_step))::integer
      else 0
    end,
    case when p_allowed
      then 0
      else greatest(1, ceil(extract(epoch from p_new_tat + p_step * p_cost - make_interval(secs => p_window_seconds) - p_now) * 1000))::integer
    end
$$;

revoke all on function private.rate_limit_step(integer, integer) from public, anon, authenticated, service_role;
revoke all on function private.rate_limit_answer(boolean, timestamptz, timestamptz, interval, integer, integer)
  from public, anon, authenticated, service_role;

-- Takes one token from the organisation's bucket, atomically: the upsert's row lock
-- serialises concurrent callers, so N requests at once never get more than the limit.
-- Allowed: `remaining` tokens are left. Refused: nothing is recorded (a client hammering
-- the limit doesn't push its own retry later), and `retry_after_ms` says when one frees.
-- Security definer for the private helpers above; only the server may call it.
create function public.take_rate_limit_token(
  p_org_id uuid,
  p_bucket text,
  p_limit integer,
  p_window_seconds integer
)
returns table (allowed boolean, remaining integer, retry_after_ms integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  now_ timestamptz := clock_timestamp();
  step interval;
  new_tat timestamptz;
begin
  if p_limit < 1 or p_window_seconds < 1 then
    raise exception 'a rate limit needs limit >= 1 and window >= 1 s' using errcode = 'invalid_parameter_value';
  end if;
  step := private.rate_limit_step(p_limit, p_window_seconds);

  insert into public.rate_limits as r (org_id, bucket, tat)
  values (p_org_id, p_bucket, now_ + step)
  on conflict (org_id, bucket) do update
    set tat = greatest(r.tat, now_) + step
    where greatest(r.tat, now_) + step - now_ <= make_interval(secs => p_window_seconds)
  returning r.tat into new_tat;

  if new_tat is null then
    -- Refused: the row exists and is locked by the upsert above, so this reads what it saw.
    select r.tat into new_tat from public.rate_limits r where r.org_id = p_org_id and r.bucket = p_bucket;
    return query select * from private.rate_limit_answer(false, new_tat, now_, step, p_window_seconds, 1);
    return;
  end if;
  return query select * from private.rate_limit_answer(true, new_tat, now_, step, p_window_seconds, 1);
end;
$$;

revoke all on function public.take_rate_limit_token(uuid, text, integer, integer) from public, anon, authenticated, service_role;
grant execute on function public.take_rate_limit_token(uuid, text, integer, integer) to service_role;
