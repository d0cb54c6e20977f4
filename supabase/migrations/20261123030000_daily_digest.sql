-- The daily digest: who is due one, and what their organisation did in a window.
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

-- One invalid time zone would break the digest query for everyone: refuse it on write.
create function public.validate_profile_time_zone()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform now() at time zone new.time_zone;
  return new;
exception when invalid_parameter_value then
  raise exception 'unknown time zone: %', new.time_zone using errcode = 'check_violation';
end;
$$;

revoke all on function public.validate_profile_time_zone() from public, anon, authenticated, service_role;

create trigger profiles_validate_time_zone
  before insert or update of time_zone on public.profiles
  for each row execute function public.validate_profile_time_zone();
