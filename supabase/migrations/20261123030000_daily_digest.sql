-- The daily digest: who is due one, what their organisation did in a window, and the
-- cron's fan-out over them.
--
-- Digests go out in each user's local morning, not once a day in UTC: an hourly cron asks
-- for users whose local time is past 08:00 and who have had no digest for their local
-- today. A missed hour (an outage, a deploy) is caught up by the next run, and a user who
-- moves time zone gets at most one digest per local date.

alter table public.profiles add column last_digest_on date;

create index profiles_digest_due_idx on public.profiles (id) where digest_opt_in;

create function public.digest_recipients_due(p_limit integer, p_now timestamptz, p_after uuid default null)
returns table (user_id uuid, org_id uuid, email text, local_date date)
language sql
stable
security definer
set search_path = ''
as $$
  select p.id, m.org_id, p.email, (p_now at time zone p.time_zone)::date
  from public.profiles p
  cross join lateral (
    select m.org_id from public.memberships m where m.user_id = p.id order by m.created_at limit 1
  ) m
  where p.digest_opt_in
    and (p_after is null or p.id > p_after)
    and (p_now at time zone p.time_zone)::time >= time '08:00'
    and (p.last_digest_on is null or p.last_digest_on < (p_now at time zone p.time_zone)::date)
  order by p.id
  limit p_limit;
$$;

create function public.activity_summary(p_org_id uuid, p_from timestamptz, p_to timestamptz)
returns table (type text, count bigint, total_amount numeric)
language sql
stable
security definer
set search_path = ''
as $$
  select a.type, count(*), coalesce(sum(a.amount), 0)
  from public.activities a
  where a.org_id = p_org_id and a.occurred_at >= p_from and a.occurred_at < p_to
  group by a.type
  order by a.type;
$$;

revoke all on function public.digest_recipients_due(integer, timestamptz, uuid) from public, anon, authenticated, service_role;
revoke all on function public.activity_summary(uuid, timestamptz, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.digest_recipients_due(integer, timestamptz, uuid) to service_role;
grant execute on function public.activity_summary(uuid, timestamptz, timestamptz) to service_role;

-- The fan-out, one page per call, in one round trip --------------------------------------
--
-- Only users with something to say get an event: `send-digest` is throttled to the email
-- provider's rate (2/s), and throttling applies to every run it starts, so an event per
-- quiet user would queue hours of runs (and a job row each) that send nothing. Quiet users
-- are settled here instead: their digest for the local date is done, exactly as
-- `send-digest` would have recorded it, so a later run that day doesn't look at them again,
-- and what they do after it is in tomorrow's digest (the 24 hours before it is sent).
--
-- It answers one JSON object rather than rows, because the Data API caps a set-returning
-- function at `max_rows` (1,000) without saying so, and a short page would look like the
-- last one. `last` is the cursor: the highest id scanned, quiet or not. Who is due is
-- digest_recipients_due's answer, above.
create function public.digest_fan_out_page(p_now timestamptz, p_limit integer, p_after uuid default null)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
  with page as (
    select
      d.user_id,
      d.org_id,
      d.local_date,
      exists (
        select 1 from public.activities a
        where a.org_id = d.org_id and a.occurred_at >= p_now - interval '24 hours' and a.occurred_at < p_now
      ) as has_activity
    from public.digest_recipients_due(p_limit, p_now, p_after) d
  ),
  settled as (
    update public.profiles p
    set last_digest_on = page.local_date
    from page
    where p.id = page.user_id and not page.has_activity
    returning p.id
  )
  select jsonb_build_object(
    'scanned', (select count(*) from page),
    'last', (select user_id from page order by user_id desc limit 1),
    'settled', (select count(*) from settled),
    'due', coalesce(
      (select jsonb_agg(jsonb_build_object('userId', user_id, 'orgId', org_id, 'localDate', local_date) order by user_id)
       from page where has_activity),
      '[]'::jsonb
    )
  );
$$;

revoke all on function public.digest_fan_out_page(timestamptz, integer, uuid) from public, anon, authenticated, service_role;
grant execute on function public.digest_fan_out_page(timestamptz, integer, uuid) to service_role;
