-- Rate limits keyed by something other than an organisation: sign-in, sign-up and password
-- recovery, per client IP and per email address (lib/rate-limit/auth.ts). Hosted Auth only
-- ever sees the app server's address, so its own per-IP limits would throttle every user
-- at once; these buckets throttle each caller instead.
--
-- The same GCRA token bucket as public.rate_limits, with its arithmetic
-- (20261124020000_rate_limits.sql), keyed by `key_hash`: an HMAC of the address or IP
-- computed by the app, never the value itself. The table only has to tell callers apart, so it holds nothing that says who tried
-- to sign in from where: a leaked dump or a support query over it names no one, and the
-- row needs no place in a data-subject export or deletion.
--
-- The table lives in `private` (20261123000000_foundation.sql), which the Data API doesn't
-- expose: nothing but the function below ever touches it, and it runs as its owner
-- (security definer), so no API role needs a grant on the table or the schema.
--
-- Cleanup: a row whose `tat` has passed is a full bucket, exactly like no row, so rows are
-- deleted once expired. Unlike the organisations' buckets these have no owner to cascade
-- from (any address can be tried), so each call deletes a few expired ones (oldest first,
-- through the index) and the table stays as big as the last window's callers.

create table private.keyed_rate_limits (
  bucket text not null check (bucket ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  key_hash text not null check (key_hash ~ '^[0-9a-f]{64}$'),
  tat timestamptz not null,
  primary key (bucket, key_hash)
);

create index keyed_rate_limits_tat on private.keyed_rate_limits (tat);

alter table private.keyed_rate_limits enable row level security;
revoke all on private.keyed_rate_limits from public, anon, authenticated, service_role;

-- Takes `p_cost` tokens from the key's bucket, atomically (the upsert's row lock serialises
-- concurrent callers). A negative cost gives tokens back (a sign-in that succeeded was not
-- an attack), never beyond a full bucket. Allowed: `remaining` tokens are left. Refused:
-- nothing is recorded, and `retry_after_ms` says when enough tokens are back.
create function public.take_keyed_rate_limit_token(
  p_bucket text,
  p_key_hash text,
  p_limit integer,
  p_window_seconds integer,
  p_cost integer default 1
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
  if p_limit < 1 or p_window_seconds < 1 or p_cost = 0 or abs(p_cost) > p_limit then
    raise exception 'a rate limit needs limit >= 1, window >= 1 s and 0 < |cost| <= limit'
      using errcode = 'invalid_parameter_value';
  end if;
  step := private.rate_limit_step(p_limit, p_window_seconds);

  delete from private.keyed_rate_limits r
  where (r.bucket, r.key_hash) in (
    select e.bucket, e.key_hash from private.keyed_rate_limits e
    where e.tat < now_ and (e.bucket, e.key_hash) <> (p_bucket, p_key_hash)
    order by e.tat
    limit 10
    for update skip locked
  );

  insert into private.keyed_rate_limits as r (bucket, key_hash, tat)
  values (p_bucket, p_key_hash, now_ + greatest(step * p_cost, interval '0'))
  on conflict (bucket, key_hash) do update
    set tat = greatest(greatest(r.tat, now_) + step * p_cost, now_)
    where greatest(r.tat, now_) + step * p_cost - now_ <= make_interval(secs => p_window_seconds)
  returning r.tat into new_tat;

  if new_tat is null then
    select r.tat into new_tat from private.keyed_rate_limits r where r.bucket = p_bucket and r.key_hash = p_key_hash;
    return query select * from private.rate_limit_answer(false, new_tat, now_, step, p_window_seconds, p_cost);
    return;
  end if;
  return query select * from private.rate_limit_answer(true, new_tat, now_, step, p_window_seconds, p_cost);
end;
$$;

revoke all on function public.take_keyed_rate_limit_token(text, text, integer, integer, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.take_keyed_rate_limit_token(text, text, integer, integer, integer) to service_role;
