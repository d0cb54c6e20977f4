-- Outbound webhooks and in-app notifications.
--
-- An organisation's owners and admins register endpoints; each event a job's end raises
-- becomes one message per subscribed endpoint, and every try to deliver it one attempt.
-- Endpoints, messages and attempts are theirs to read (RLS); what delivers them (the
-- `deliver-webhook` function) writes with the service role through the functions below.
-- Signing secrets are the server's alone: no API role but service_role can read them.

-- `webhook.test` is what "Send test event" sends: no endpoint subscribes to it.
create type public.webhook_event_type as enum ('job.completed', 'job.failed', 'job.cancelled', 'report.ready', 'webhook.test');

create type public.webhook_message_status as enum ('pending', 'retrying', 'delivered', 'failed', 'skipped');

-- Endpoints -------------------------------------------------------------------------------

create table public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  url text not null check (char_length(url) between 10 and 2048 and url ~ '^https?://[^\s]+$'),
  description text not null default '' check (char_length(description) <= 200 and description !~ '[[:cntrl:]]'),
  -- text[], not an array of the enum: what an endpoint may subscribe to (not webhook.test).
  event_types text[] not null
    check (cardinality(event_types) between 1 and 4
           and event_types <@ array['job.completed', 'job.failed', 'job.cancelled', 'report.ready']),
  enabled boolean not null default true,
  -- Why it is off: an admin turned it off, or it kept failing (record_webhook_attempt).
  disabled_reason text check (disabled_reason in ('manual', 'failing')),
  disabled_at timestamptz,
  -- Since when every attempt has failed; cleared by a delivery.
  failing_since timestamptz,
  last_delivered_at timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_endpoints_disabled check (enabled = (disabled_reason is null))
);

create index webhook_endpoints_org_id_idx on public.webhook_endpoints (org_id, created_at);

create trigger webhook_endpoints_set_updated_at
  before update on public.webhook_endpoints
  for each row execute function public.set_updated_at();

-- Turning an endpoint on again forgets its failures; turning it off stamps when.
create function public.guard_webhook_endpoint()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.org_id <> old.org_id then
    raise exception 'an endpoint stays in its organisation' using errcode = 'check_violation';
  end if;
  if new.enabled and (tg_op = 'INSERT' or not old.enabled) then
    new.disabled_reason := null;
    new.disabled_at := null;
    new.failing_since := null;
  elsif not new.enabled and (tg_op = 'INSERT' or old.enabled) then
    new.disabled_reason := coalesce(new.disabled_reason, 'manual');
    new.disabled_at := now();
  end if;
  return new;
end;
$$;

revoke all on function public.guard_webhook_endpoint() from public, anon, authenticated, service_role;

create trigger webhook_endpoints_guard
  before insert or update on public.webhook_endpoints
  for each row execute function public.guard_webhook_endpoint();

alter table public.webhook_endpoints enable row level security;

create policy "Owners and admins read their organisation's endpoints"
  on public.webhook_endpoints for select to authenticated
  using (public.org_role(org_id) in ('owner', 'admin'));

create policy "Owners and admins change their organisation's endpoints"
  on public.webhook_endpoints for update to authenticated
  using (public.org_role(org_id) in ('owner', 'admin'))
  with check (public.org_role(org_id) in ('owner', 'admin'));

create policy "Owners and admins delete their organisation's endpoints"
  on public.webhook_endpoints for delete to authenticated
  using (public.org_role(org_id) in ('owner', 'admin'));

revoke all on public.webhook_endpoints from anon, authenticated, service_role;
grant select on public.webhook_endpoints to authenticated;
-- Created with its secret through create_webhook_endpoint, never inserted directly.
grant update (url, description, event_types, enabled) on public.webhook_endpoints to authenticated;
grant delete on public.webhook_endpoints to authenticated;
grant select, insert, update, delete on public.webhook_endpoints to service_role;

-- Signing secrets ---------------------------------------------------------------------------
-- The current one (expires_at null) and, for 24 hours after a rotation, the one before it:
-- Standard Webhooks lets a message carry a signature per secret, so receivers can switch
-- without losing a message.

create table public.webhook_secrets (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  secret text not null check (secret ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$'),
  created_at timestamptz not null default now(),
  expires_at timestamptz
);

create unique index webhook_secrets_current_key on public.webhook_secrets (endpoint_id) where expires_at is null;
create index webhook_secrets_endpoint_id_idx on public.webhook_secrets (endpoint_id, created_at desc);

alter table public.webhook_secrets enable row level security;
revoke all on public.webhook_secrets from anon, authenticated, service_role;
grant select, insert, update, delete on public.webhook_secrets to service_role;

-- Registers an endpoint with the secret the app generated (shown to the caller once), for
-- the caller's organisation if they own or administer it.
create function public.create_webhook_endpoint(
  p_org_id uuid,
  p_url text,
  p_description text,
  p_event_types text[],
  p_secret text
)
returns public.webhook_endpoints
language plpgsql
security definer
set search_path = ''
as $$
declare
  endpoint public.webhook_endpoints;
begin
  if coalesce(public.org_role(p_org_id) in ('owner', 'admin'), false) is not true then
    raise exception 'not an owner or admin of this organisation' using errcode = 'insufficient_privilege', hint = 'not_found';
  end if;
  -- The organisation's row is locked so two requests can't both take the last place. The
  -- limit is the API's: the service role (benchmarks, support) inserts endpoints directly.
  perform 1 from public.organisations o where o.id = p_org_id for update;
  if (select count(*) from public.webhook_endpoints e where e.org_id = p_org_id) >= 20 then
    raise exception 'an organisation may have at most 20 webhook endpoints'
      using errcode = 'check_violation', hint = 'webhook_endpoint_limit';
  end if;
  insert into public.webhook_endpoints (org_id, url, description, event_types, created_by)
  values (p_org_id, p_url, coalesce(p_description, ''), p_event_types, (select auth.uid()))
  returning * into endpoint;
  insert into public.webhook_secrets (endpoint_id, secret) values (endpoint.id, p_secret);
  return endpoint;
end;
$$;

revoke all on function public.create_webhook_endpoint(uuid, text, text, text[], text) from public, anon, authenticated, service_role;
grant execute on function public.create_webhook_endpoint(uuid, text, text, text[], text) to authenticated;

-- The organisation of an endpoint the caller owns or administers, with the endpoint's row
-- locked for the change the caller makes; anyone else is told it doesn't exist. For the
-- functions below, which users call.
create function public.managed_webhook_endpoint_org(p_endpoint_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid;
begin
  select e.org_id into target_org from public.webhook_endpoints e where e.id = p_endpoint_id for update;
  if target_org is null or coalesce(public.org_role(target_org) in ('owner', 'admin'), false) is not true then
    raise exception 'no such endpoint' using errcode = 'no_data_found', hint = 'not_found';
  end if;
  return target_org;
end;
$$;

revoke all on function public.managed_webhook_endpoint_org(uuid) from public, anon, authenticated, service_role;

-- Makes `p_secret` the endpoint's secret; the one it replaces keeps signing for 24 hours,
-- and any older one stops now. Answers when the previous secret stops signing.
create function public.rotate_webhook_secret(p_endpoint_id uuid, p_secret text)
returns timestamptz
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid;
  overlap_ends timestamptz := now() + interval '24 hours';
begin
  target_org := public.managed_webhook_endpoint_org(p_endpoint_id);
  delete from public.webhook_secrets s where s.endpoint_id = p_endpoint_id and s.expires_at is not null;
  update public.webhook_secrets s set expires_at = overlap_ends where s.endpoint_id = p_endpoint_id and s.expires_at is null;
  insert into public.webhook_secrets (endpoint_id, secret) values (p_endpoint_id, p_secret);
  return overlap_ends;
end;
$$;

revoke all on function public.rotate_webhook_secret(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.rotate_webhook_secret(uuid, text) to authenticated;

-- Messages and attempts -------------------------------------------------------------------

create table public.webhook_messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  event_type public.webhook_event_type not null,
  -- The body's `data`, as sent on every attempt (with `type` and `timestamp` beside it).
  payload jsonb not null,
  -- The job the event is about, if any. A plain value, no foreign key: with keys to both
  -- jobs and organisations this table would be a second path between them, and the Data
  -- API could no longer tell which one `jobs?select=organisations(name)` means. The message
  -- outlives the job's cleanup as a record of what was sent.
  job_id uuid,
  -- What makes two raisings of one event one message (e.g. "job.completed:<job id>").
  dedupe_key text not null check (char_length(dedupe_key) between 1 and 255),
  status public.webhook_message_status not null default 'pending',
  attempts integer not null default 0 check (attempts >= 0),
  -- Replays of the message so far: each is a new round of attempts under the same webhook-id.
  replays integer not null default 0 check (replays >= 0),
  next_attempt_at timestamptz,
  last_status_code integer,
  last_error text check (char_length(last_error) <= 500),
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_messages_dedupe_key unique (endpoint_id, dedupe_key)
);

create index webhook_messages_endpoint_idx on public.webhook_messages (endpoint_id, created_at desc, id);
create index webhook_messages_failed_idx on public.webhook_messages (endpoint_id, created_at) where status = 'failed';
create index webhook_messages_org_id_idx on public.webhook_messages (org_id);
create index webhook_messages_job_id_idx on public.webhook_messages (job_id) where job_id is not null;

create trigger webhook_messages_set_updated_at
  before update on public.webhook_messages
  for each row execute function public.set_updated_at();

create table public.webhook_attempts (
  id bigint generated always as identity primary key,
  message_id uuid not null references public.webhook_messages (id) on delete cascade,
  org_id uuid not null references public.organisations (id) on delete cascade,
  -- Numbered across rounds: attempt 9 may be a replay's first.
  attempt integer not null check (attempt >= 1),
  started_at timestamptz not null,
  duration_ms integer not null check (duration_ms >= 0),
  -- The receiver's status, or null when there was none (timeout, refused connection, unsafe address).
  status_code integer check (status_code between 100 and 599),
  -- The start of the receiver's answer, at most 4 KB.
  response_excerpt text check (octet_length(response_excerpt) <= 4096),
  error text check (char_length(error) <= 500),
  outcome text not null check (outcome in ('delivered', 'retry', 'failed')),
  created_at timestamptz not null default now(),
  constraint webhook_attempts_number unique (message_id, attempt)
);

alter table public.webhook_messages enable row level security;
alter table public.webhook_attempts enable row level security;

create policy "Owners and admins read their organisation's messages"
  on public.webhook_messages for select to authenticated
  using (public.org_role(org_id) in ('owner', 'admin'));

create policy "Owners and admins read their organisation's attempts"
  on public.webhook_attempts for select to authenticated
  using (public.org_role(org_id) in ('owner', 'admin'));

revoke all on public.webhook_messages from anon, authenticated, service_role;
revoke all on public.webhook_attempts from anon, authenticated, service_role;
grant select on public.webhook_messages to authenticated;
grant select on public.webhook_attempts to authenticated;
grant select, insert, update, delete on public.webhook_messages to service_role;
grant select, insert, update, delete on public.webhook_attempts to service_role;

-- One message per enabled endpoint of the organisation subscribed to the event type, once
-- per `p_dedupe_key`: raising the same event again answers the messages it already made
-- (so a retried fan-out still sends them) and makes no new ones.
create function public.enqueue_webhook_messages(
  p_org_id uuid,
  p_event_type public.webhook_event_type,
  p_payload jsonb,
  p_dedupe_key text,
  p_job_id uuid default null
)
returns table (message_id uuid, endpoint_id uuid, replays integer)
language sql
security definer
set search_path = ''
as $$
  with inserted as (
    insert into public.webhook_messages (org_id, endpoint_id, event_type, payload, dedupe_key, job_id)
    select e.org_id, e.id, p_event_type, p_payload, p_dedupe_key, p_job_id
    from public.webhook_endpoints e
    where e.org_id = p_org_id and e.enabled and p_event_type::text = any (e.event_types)
    on conflict on constraint webhook_messages_dedupe_key do nothing
    returning id, endpoint_id, replays
  )
  select i.id, i.endpoint_id, i.replays from inserted i
  union all
  select m.id, m.endpoint_id, m.replays from public.webhook_messages m
  where m.org_id = p_org_id and m.dedupe_key = p_dedupe_key and m.status = 'pending'
$$;

revoke all on function public.enqueue_webhook_messages(uuid, public.webhook_event_type, jsonb, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.enqueue_webhook_messages(uuid, public.webhook_event_type, jsonb, text, uuid) to service_role;

-- "Send test event": one `webhook.test` message to one endpoint, for its owners and admins
-- (enabled or not: testing is how one checks a receiver before turning it back on).
create function public.create_test_webhook_message(p_endpoint_id uuid, p_payload jsonb)
returns table (message_id uuid, endpoint_id uuid, org_id uuid, replays integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid;
begin
  target_org := public.managed_webhook_endpoint_org(p_endpoint_id);
  return query
  insert into public.webhook_messages (org_id, endpoint_id, event_type, payload, dedupe_key)
  values (target_org, p_endpoint_id, 'webhook.test', p_payload, 'test:' || gen_random_uuid())
  returning id, webhook_messages.endpoint_id, webhook_messages.org_id, webhook_messages.replays;
end;
$$;

revoke all on function public.create_test_webhook_message(uuid, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.create_test_webhook_message(uuid, jsonb) to authenticated;

-- How long an endpoint may fail every attempt before it is turned off.
create function public.webhook_disable_after()
returns interval
language sql
immutable
set search_path = ''
as $$ select interval '5 days' $$;

revoke all on function public.webhook_disable_after() from public, anon, authenticated;
grant execute on function public.webhook_disable_after() to service_role;

-- Records one try to deliver a message and what it means for the message and its endpoint:
-- `p_outcome` 'delivered', 'retry' (another attempt at `p_next_attempt_at`) or 'failed'
-- (no more). An endpoint whose attempts have all failed for webhook_disable_after() is
-- turned off ('failing'); `endpoint_disabled` says this attempt did it, so its admins are
-- told once.
create function public.record_webhook_attempt(
  p_message_id uuid,
  p_started_at timestamptz,
  p_duration_ms integer,
  p_status_code integer,
  p_response_excerpt text,
  p_error text,
  p_outcome text,
  p_next_attempt_at timestamptz default null
)
returns table (attempt integer, endpoint_disabled boolean)
language plpgsql
security definer
set search_path = ''
as $$
declare
  message public.webhook_messages;
  number integer;
  disabled boolean := false;
begin
  select * into message from public.webhook_messages m where m.id = p_message_id for update;
  if message.id is null then
    raise exception 'no such message' using errcode = 'no_data_found', hint = 'not_found';
  end if;
  number := coalesce((select max(a.attempt) from public.webhook_attempts a where a.message_id = p_message_id), 0) + 1;
  insert into public.webhook_attempts (message_id, org_id, attempt, started_at, duration_ms, status_code, response_excerpt, error, outcome)
  values (p_message_id, message.org_id, number, p_started_at, p_duration_ms, p_status_code, p_response_excerpt, left(p_error, 500), p_outcome);

  update public.webhook_messages m set
    attempts = number,
    status = case p_outcome when 'delivered' then 'delivered' when 'retry' then 'retrying' else 'failed' end::public.webhook_message_status,
    next_attempt_at = case when p_outcome = 'retry' then p_next_attempt_at end,
    last_status_code = p_status_code,
    last_error = left(p_error, 500),
    delivered_at = case when p_outcome = 'delivered' then now() else m.delivered_at end
  where m.id = p_message_id;

  if p_outcome = 'delivered' then
    update public.webhook_endpoints e set failing_since = null, last_delivered_at = now() where e.id = message.endpoint_id;
  else
    update public.webhook_endpoints e set failing_since = coalesce(e.failing_since, p_started_at)
    where e.id = message.endpoint_id;
    update public.webhook_endpoints e set enabled = false, disabled_reason = 'failing'
    where e.id = message.endpoint_id and e.enabled and e.failing_since <= now() - public.webhook_disable_after();
    disabled := found;
  end if;
  return query select number, disabled;
end;
$$;

revoke all on function public.record_webhook_attempt(uuid, timestamptz, integer, integer, text, text, text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.record_webhook_attempt(uuid, timestamptz, integer, integer, text, text, text, timestamptz) to service_role;

-- A message that won't be tried (its endpoint was turned off or deleted meanwhile).
create function public.skip_webhook_message(p_message_id uuid, p_reason text)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.webhook_messages m set status = 'skipped', last_error = left(p_reason, 500), next_attempt_at = null
  where m.id = p_message_id and m.status in ('pending', 'retrying');
$$;

revoke all on function public.skip_webhook_message(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.skip_webhook_message(uuid, text) to service_role;

-- Replays an endpoint's failed (or skipped) messages: one (`p_message_id`) or all created
-- since `p_since`. Each goes back to pending with one more replay, and is answered so the
-- caller can send it again (with the replay count in its event id). For the endpoint's
-- owners and admins; at most 1,000 at a time, oldest first.
create function public.replay_webhook_messages(p_endpoint_id uuid, p_message_id uuid default null, p_since timestamptz default null)
returns table (message_id uuid, endpoint_id uuid, org_id uuid, replays integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid;
begin
  target_org := public.managed_webhook_endpoint_org(p_endpoint_id);
  if (p_message_id is null) = (p_since is null) then
    raise exception 'replay one message or those since a time' using errcode = 'invalid_parameter_value';
  end if;
  return query
  update public.webhook_messages m set status = 'pending', replays = m.replays + 1, next_attempt_at = null
  where m.id in (
    select c.id from public.webhook_messages c
    where c.endpoint_id = p_endpoint_id
      and c.status in ('failed', 'skipped')
      and (p_message_id is null or c.id = p_message_id)
      and (p_since is null or c.created_at >= p_since)
    order by c.created_at
    limit 1000
    for update
  )
  returning m.id, m.endpoint_id, m.org_id, m.replays;
end;
$$;

revoke all on function public.replay_webhook_messages(uuid, uuid, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.replay_webhook_messages(uuid, uuid, timestamptz) to authenticated;

-- Notifications -----------------------------------------------------------------------------
-- The bell: a user's own reports that finished or failed, invitation emails of theirs that
-- could not be sent, and invitations to a team sent to their address. Written by triggers
-- alone, so a notification exists exactly when its cause does.

create type public.notification_kind as enum ('job.completed', 'job.failed', 'invitation.received');

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  kind public.notification_kind not null,
  job_id uuid references public.jobs (id) on delete cascade,
  invitation_id uuid references public.invitations (id) on delete cascade,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  constraint notifications_subject check (
    case kind when 'invitation.received' then invitation_id is not null and job_id is null
              else job_id is not null and invitation_id is null end
  )
);

create unique index notifications_job_key on public.notifications (job_id, kind) where job_id is not null;
create unique index notifications_invitation_key on public.notifications (invitation_id, user_id) where invitation_id is not null;
create index notifications_user_idx on public.notifications (user_id, created_at desc, id);
create index notifications_unread_idx on public.notifications (user_id) where read_at is null;

alter table public.notifications enable row level security;

create policy "Users read their own notifications"
  on public.notifications for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Users mark their own notifications read"
  on public.notifications for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

revoke all on public.notifications from anon, authenticated, service_role;
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;
grant select, insert, update, delete on public.notifications to service_role;

create function public.notify_job_end()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.user_id is not null
     and (new.type = 'report' and new.status in ('completed', 'failed')
          or new.type = 'team-invitation' and new.status = 'failed') then
    insert into public.notifications (user_id, kind, job_id)
    values (new.user_id, ('job.' || new.status)::public.notification_kind, new.id)
    on conflict (job_id, kind) where job_id is not null do nothing;
  end if;
  return null;
end;
$$;

revoke all on function public.notify_job_end() from public, anon, authenticated, service_role;

create trigger jobs_notify_end
  after update of status on public.jobs
  for each row when (old.status is distinct from new.status and new.status in ('completed', 'failed'))
  execute function public.notify_job_end();

-- Someone with an account was invited (or invited again: unread again, newest first).
create function public.notify_invitation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.accepted_at is null then
    insert into public.notifications (user_id, kind, invitation_id)
    select u.id, 'invitation.received', new.id
    from auth.users u where lower(u.email) = new.email
    on conflict (invitation_id, user_id) where invitation_id is not null
    do update set read_at = null, created_at = now();
  end if;
  return null;
end;
$$;

revoke all on function public.notify_invitation() from public, anon, authenticated, service_role;

create trigger invitations_notify
  after insert or update of token_nonce on public.invitations
  for each row execute function public.notify_invitation();

-- Accepted: the invitation's notification has done its work.
create function public.clear_invitation_notification()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.notifications n where n.invitation_id = new.id;
  return null;
end;
$$;

revoke all on function public.clear_invitation_notification() from public, anon, authenticated, service_role;

create trigger invitations_clear_notification
  after update of accepted_at on public.invitations
  for each row when (new.accepted_at is not null and old.accepted_at is null)
  execute function public.clear_invitation_notification();

-- Retention ----------------------------------------------------------------------------------
-- The nightly cleanup deletes delivered and skipped messages after the completed jobs'
-- retention and failed ones after the failed jobs', with their attempts (cascade), in
-- batches as delete_expired_jobs does. A message's last change is when it ended.
create function public.delete_expired_webhook_messages(p_status public.webhook_message_status, p_before timestamptz, p_limit integer)
returns integer
language sql
set search_path = ''
as $$
  with doomed as (
    select id from public.webhook_messages
    where status = p_status and status in ('delivered', 'failed', 'skipped') and updated_at < p_before
    limit p_limit
    for update skip locked
  ),
  deleted as (
    delete from public.webhook_messages m using doomed d where m.id = d.id returning 1
  )
  select count(*)::integer from deleted;
$$;

revoke all on function public.delete_expired_webhook_messages(public.webhook_message_status, timestamptz, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.delete_expired_webhook_messages(public.webhook_message_status, timestamptz, integer) to service_role;
