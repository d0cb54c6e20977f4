-- A report request's own `callbackUrl` ("notify me at this URL").
--
-- A callback is a webhook endpoint that belongs to one job: it is made with the job, in
-- the same transaction, with a signing secret of its own that the asker gets in the 202;
-- it receives that job's `report.ready`, `job.failed` or `job.cancelled` and nothing else,
-- through the same messages, attempts, retries and URL checks as any endpoint. It is not
-- one of the organisation's endpoints: it doesn't count towards their limit, and owners
-- and admins neither see nor change it (the asker reads its deliveries through the API).
-- It goes when its job does.

-- The job whose callback this is; null for the organisation's own endpoints. A plain value,
-- no foreign key, for the reason webhook_messages.job_id has none (a second path between
-- jobs and organisations); the trigger at the end removes it with its job.
alter table public.webhook_endpoints add column job_id uuid;

create unique index webhook_endpoints_job_key on public.webhook_endpoints (job_id) where job_id is not null;

-- The organisation's endpoints only: a callback is its asker's.
alter policy "Owners and admins read their organisation's endpoints" on public.webhook_endpoints
  using (job_id is null and public.org_role(org_id) in ('owner', 'admin'));
alter policy "Owners and admins change their organisation's endpoints" on public.webhook_endpoints
  using (job_id is null and public.org_role(org_id) in ('owner', 'admin'))
  with check (job_id is null and public.org_role(org_id) in ('owner', 'admin'));
alter policy "Owners and admins delete their organisation's endpoints" on public.webhook_endpoints
  using (job_id is null and public.org_role(org_id) in ('owner', 'admin'));

-- Nor a callback's messages and attempts (what it was sent, what its receiver answered).
alter policy "Owners and admins read their organisation's messages" on public.webhook_messages
  using (
    public.org_role(org_id) in ('owner', 'admin')
    and exists (select 1 from public.webhook_endpoints e where e.id = endpoint_id and e.job_id is null)
  );
alter policy "Owners and admins read their organisation's attempts" on public.webhook_attempts
  using (
    public.org_role(org_id) in ('owner', 'admin')
    and exists (
      select 1 from public.webhook_messages m join public.webhook_endpoints e on e.id = m.endpoint_id
      where m.id = message_id and e.job_id is null
    )
  );

-- As in 20261203000000_webhooks.sql, with callbacks left out of the limit.
create or replace function public.create_webhook_endpoint(
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
  perform 1 from public.organisations o where o.id = p_org_id for update;
  if (select count(*) from public.webhook_endpoints e where e.org_id = p_org_id and e.job_id is null) >= 20 then
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

-- As before, for the organisation's endpoints only: nobody rotates, tests or replays a
-- callback through the endpoints API.
create or replace function public.managed_webhook_endpoint_org(p_endpoint_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid;
begin
  select e.org_id into target_org from public.webhook_endpoints e
  where e.id = p_endpoint_id and e.job_id is null
  for update;
  if target_org is null or coalesce(public.org_role(target_org) in ('owner', 'admin'), false) is not true then
    raise exception 'no such endpoint' using errcode = 'no_data_found', hint = 'not_found';
  end if;
  return target_org;
end;
$$;

-- As before, and the event's job's own callback with the organisation's endpoints.
create or replace function public.enqueue_webhook_messages(
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
      and (e.job_id is null or e.job_id = p_job_id)
    on conflict on constraint webhook_messages_dedupe_key do nothing
    returning id, endpoint_id, replays
  )
  select i.id, i.endpoint_id, i.replays from inserted i
  union all
  select m.id, m.endpoint_id, m.replays from public.webhook_messages m
  where m.org_id = p_org_id and m.dedupe_key = p_dedupe_key and m.status = 'pending'
$$;

-- As before, except that a callback is never turned off: it has one message, whose
-- retries end long before webhook_disable_after(), and no admin to tell. What an attempt
-- may lack (no answer: a timeout, a refused connection) now defaults to null, so the
-- generated types say these are optional instead of always there.
drop function public.record_webhook_attempt(uuid, timestamptz, integer, integer, text, text, text, timestamptz);

create function public.record_webhook_attempt(
  p_message_id uuid,
  p_started_at timestamptz,
  p_duration_ms integer,
  p_outcome text,
  p_status_code integer default null,
  p_response_excerpt text default null,
  p_error text default null,
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
    where e.id = message.endpoint_id and e.job_id is null and e.enabled
      and e.failing_since <= now() - public.webhook_disable_after();
    disabled := found;
  end if;
  return query select number, disabled;
end;
$$;

revoke all on function public.record_webhook_attempt(uuid, timestamptz, integer, text, integer, text, text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.record_webhook_attempt(uuid, timestamptz, integer, text, integer, text, text, timestamptz) to service_role;

-- A job's callback goes with it (the nightly cleanup, an organisation's deletion), with its
-- secret, messages and attempts.
create function public.delete_job_callbacks()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.webhook_endpoints e using deleted_jobs d where e.job_id = d.id;
  return null;
end;
$$;

revoke all on function public.delete_job_callbacks() from public, anon, authenticated, service_role;

create trigger jobs_delete_callbacks
  after delete on public.jobs
  referencing old table as deleted_jobs
  for each statement execute function public.delete_job_callbacks();

-- enqueue_report, with the callback ------------------------------------------------------
-- The request's own decisions stay in the function 20261202030000_teams.sql defined, moved
-- out of the API; the one the server calls makes the callback with the job it creates, and
-- counts the callback's URL as part of the request an Idempotency-Key stands for.

alter function public.enqueue_report(uuid, public.report_kind, date, date, text, boolean, text, integer, integer, text)
  set schema private;
alter function private.enqueue_report(uuid, public.report_kind, date, date, text, boolean, text, integer, integer, text)
  rename to enqueue_report_job;
revoke all on function private.enqueue_report_job(uuid, public.report_kind, date, date, text, boolean, text, integer, integer, text)
  from public, anon, authenticated, service_role;

-- What enqueue_report answers, plus `callback` beside a job: its `url` and the `secret` it
-- is signed with, for the job's asker only (again on a repeat of the request, so a client
-- that lost the first answer can still verify what it receives); null otherwise.
create function public.enqueue_report(
  p_user_id uuid,
  p_kind public.report_kind,
  p_from date,
  p_to date,
  p_format text,
  p_notify_by_email boolean,
  p_rate_limit_bucket text,
  p_rate_limit integer,
  p_rate_limit_window_seconds integer,
  p_idempotency_key text default null,
  p_callback_url text default null,
  p_callback_secret text default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  -- What a report's callback is told: its end, whichever it is.
  callback_events constant text[] := array['report.ready', 'job.failed', 'job.cancelled'];
  answer jsonb;
  report_job_id uuid;
  job_user uuid;
  callback public.webhook_endpoints;
  callback_secret text;
begin
  if (p_callback_url is null) <> (p_callback_secret is null) then
    raise exception 'enqueue_report: a callback needs its URL and its secret' using errcode = 'invalid_parameter_value';
  end if;
  answer := private.enqueue_report_job(
    p_user_id, p_kind, p_from, p_to, p_format, p_notify_by_email,
    p_rate_limit_bucket, p_rate_limit, p_rate_limit_window_seconds, p_idempotency_key
  );
  if answer ->> 'outcome' not in ('created', 'existing') then
    return answer;
  end if;
  report_job_id := (answer #>> '{job,id}')::uuid;

  if answer ->> 'outcome' = 'created' then
    if p_callback_url is not null then
      insert into public.webhook_endpoints (org_id, url, event_types, job_id, created_by)
      values ((answer #>> '{job,org_id}')::uuid, p_callback_url, callback_events, report_job_id, p_user_id)
      returning * into callback;
      insert into public.webhook_secrets (endpoint_id, secret) values (callback.id, p_callback_secret);
      callback_secret := p_callback_secret;
    end if;
  else
    -- A repeat (its job's lock is still held): the same request only if it names the same callback.
    select * into callback from public.webhook_endpoints e where e.job_id = report_job_id;
    if callback.url is distinct from p_callback_url then
      return jsonb_build_object('outcome', 'key_reused');
    end if;
    select j.user_id into job_user from public.jobs j where j.id = report_job_id;
    if callback.id is not null and job_user = p_user_id then
      select s.secret into callback_secret from public.webhook_secrets s
      where s.endpoint_id = callback.id and s.expires_at is null;
    end if;
  end if;

  -- A teammate repeating the asker's request learns the job, not where its end is sent.
  return answer || jsonb_build_object(
    'callback',
    case when callback.id is null or (answer ->> 'outcome' = 'existing' and job_user is distinct from p_user_id) then null
         else jsonb_build_object('url', callback.url, 'secret', callback_secret) end
  );
end;
$$;

revoke all on function public.enqueue_report(uuid, public.report_kind, date, date, text, boolean, text, integer, integer, text, text, text)
  from public, anon, authenticated, service_role;
grant execute on function public.enqueue_report(uuid, public.report_kind, date, date, text, boolean, text, integer, integer, text, text, text)
  to service_role;
