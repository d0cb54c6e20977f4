-- Alert channels and worker health.
--
-- An incident (20261124010000_metrics.sql) is now told to each channel it is routed to
-- (email, Slack, a signed webhook) once when it opens and once when it resolves; and the
-- app keeps when Inngest last reached it, so an install whose worker can't be called (a
-- failed sync, a wrong signing key) raises the `worker_silent` alert. Install-wide, so
-- written and read by the server with the service role only.

-- `worker_silent` is about the install, not a job type: its incidents name the job type
-- `*`. Everything else stays a job type's name.
alter table public.alert_incidents drop constraint alert_incidents_job_type_check;
alter table public.alert_incidents
  add constraint alert_incidents_job_type_check check (job_type = '*' or job_type ~ '^[a-z][a-z0-9_.-]{0,63}$');

-- One row per incident, channel and kind of news ('open', 'resolved'): claimed before the
-- message goes and marked sent after, so a retried step or two checks racing send it once.
-- A claim that is neither sent nor released (the sender crashed mid-send) can be taken
-- over once its lease runs out.
create table public.alert_notifications (
  incident_id uuid not null references public.alert_incidents (id) on delete cascade,
  -- 'email', 'webhook', 'slack', or a named Slack channel 'slack:<name>' (ALERT_SLACK_CHANNELS).
  channel text not null check (channel ~ '^(email|webhook|slack(:[a-z0-9][a-z0-9_-]{0,31})?)$'),
  kind text not null check (kind in ('open', 'resolved')),
  claimed_at timestamptz not null,
  sent_at timestamptz,
  primary key (incident_id, channel, kind)
);

alter table public.alert_notifications enable row level security;
revoke all on public.alert_notifications from anon, authenticated, service_role;
grant select, insert, update, delete on public.alert_notifications to service_role;

-- Open incidents emailed before channels existed (notified_at set) had their opening told
-- by email: recorded as sent, so the upgrade doesn't email it again (Resend's idempotency
-- key holds for 24 hours only), and their resolution is emailed when it comes. Incidents
-- already resolved get no rows: their resolution, never sent before, isn't news now.
insert into public.alert_notifications (incident_id, channel, kind, claimed_at, sent_at)
select id, 'email', 'open', notified_at, notified_at
from public.alert_incidents
where notified_at is not null and resolved_at is null
on conflict do nothing;

-- Takes the claim on one notification: true if the caller may send it now (nobody has sent
-- it, and nobody holds an unexpired claim), false otherwise.
create function public.claim_alert_notification(
  p_incident_id uuid,
  p_channel text,
  p_kind text,
  p_now timestamptz,
  p_lease_seconds integer
)
returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  claimed boolean;
begin
  insert into public.alert_notifications as n (incident_id, channel, kind, claimed_at)
  values (p_incident_id, p_channel, p_kind, p_now)
  on conflict (incident_id, channel, kind) do update set claimed_at = excluded.claimed_at
    where n.sent_at is null and n.claimed_at < p_now - make_interval(secs => p_lease_seconds)
  returning true into claimed;
  return coalesce(claimed, false);
end;
$$;

revoke all on function public.claim_alert_notification(uuid, text, text, timestamptz, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.claim_alert_notification(uuid, text, text, timestamptz, integer) to service_role;

-- The incidents that may have news for some channel: the open ones, and the resolved ones
-- some channel heard open and not yet resolved. With, for each, the channels that were
-- sent its opening and its resolution (the app's routing decides the rest).
create function public.alert_incidents_with_news()
returns table (
  id uuid,
  rule text,
  job_type text,
  value double precision,
  threshold double precision,
  opened_at timestamptz,
  resolved_at timestamptz,
  notified_at timestamptz,
  opened_on text[],
  resolved_on text[]
)
language sql
stable
security invoker
set search_path = ''
as $$
  select i.id, i.rule, i.job_type, i.value, i.threshold, i.opened_at, i.resolved_at, i.notified_at,
    coalesce(array_agg(n.channel order by n.channel) filter (where n.kind = 'open'), '{}'),
    coalesce(array_agg(n.channel order by n.channel) filter (where n.kind = 'resolved'), '{}')
  from public.alert_incidents i
  left join public.alert_notifications n on n.incident_id = i.id and n.sent_at is not null
  where i.resolved_at is null
    or exists (
      select 1 from public.alert_notifications o
      where o.incident_id = i.id and o.kind = 'open' and o.sent_at is not null
        and not exists (
          select 1 from public.alert_notifications r
          where r.incident_id = i.id and r.channel = o.channel and r.kind = 'resolved' and r.sent_at is not null
        )
    )
  group by i.id
  order by i.opened_at, i.id;
$$;

revoke all on function public.alert_incidents_with_news() from public, anon, authenticated, service_role;
grant execute on function public.alert_incidents_with_news() to service_role;

-- Worker health --------------------------------------------------------------------------
-- When Inngest last reached /api/inngest with a request whose signature verified: 'sync'
-- for a sync (PUT) the SDK answered 2xx, 'call' for a function call (POST) it answered
-- anything but 401. The first
-- contact is kept too, so a console can say how long the install has been reachable.
create table public.inngest_contacts (
  kind text primary key check (kind in ('sync', 'call')),
  first_at timestamptz not null,
  last_at timestamptz not null,
  check (last_at >= first_at)
);

alter table public.inngest_contacts enable row level security;
revoke all on public.inngest_contacts from anon, authenticated, service_role;
grant select, insert, update, delete on public.inngest_contacts to service_role;

-- Records one contact; never moves last_at back (two servers' clocks may disagree).
create function public.record_inngest_contact(p_kind text, p_at timestamptz)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
  insert into public.inngest_contacts as c (kind, first_at, last_at)
  values (p_kind, p_at, p_at)
  on conflict (kind) do update set last_at = greatest(c.last_at, excluded.last_at);
$$;

revoke all on function public.record_inngest_contact(text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.record_inngest_contact(text, timestamptz) to service_role;
