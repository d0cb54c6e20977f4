-- Asking for a report in one round trip. POST /api/reports calls this once, then sends the
-- event; every decision before the send is made here, in one transaction:
--
--   1. the organisation the user acts in (their first membership, as getCurrentMembership
--      in lib/auth/viewer.ts picks it), its plan, and the user's time zone;
--   2. an Idempotency-Key already used in that organisation answers with its job, without
--      taking from the rate limit (a retry isn't new work), but only for the same request:
--      the same kind, range, format and email choice, else `key_reused` (the app's 422);
--   3. a range that ends after today in the user's time zone is refused (`future_day`);
--   4. the organisation's rate limit, before anything is written (`rate_limited`);
--   5. the job (`pending`) and its report row.
--
-- Expected refusals are answers, not errors: one JSON object whose `outcome` says which,
-- parsed by lib/reports/enqueue.ts. Arguments the app has already validated are checked
-- again only where a bad one would corrupt data.
--
-- Only the server calls it (the secret key), with the user id from the session it verified.
-- It is not granted to signed-in users: through it they could pick their own rate limit
-- (the limit is the app's configuration, REPORTS_RATE_LIMIT), and only the server writes
-- jobs (20261123010000_jobs.sql). The organisation is never an argument.
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
  p_idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  -- The report entry of lib/jobs/registry.ts: its type, its event, and its retries (3)
  -- plus the first attempt (tests/reports/enqueue.int.test.ts holds the two to the same
  -- values). Fixed here, so no caller can make a report job that replays as another event.
  report_type constant text := 'report';
  report_event constant text := 'app/report.requested';
  report_attempts constant integer := 4;
  org uuid;
  org_plan public.plan;
  asker_zone text;
  scoped_key text;
  today date;
  job public.jobs;
  token record;
  job_payload jsonb;
begin
  if p_user_id is null or p_kind is null or p_from is null or p_to is null or p_notify_by_email is null then
    raise exception 'enqueue_report: user, kind, range and notify_by_email are required' using errcode = 'null_value_not_allowed';
  end if;
  if p_format is distinct from 'csv' then
    raise exception 'enqueue_report: unknown format %', p_format using errcode = 'invalid_parameter_value';
  end if;
  -- lib/reports/request.ts' MAX_RANGE_DAYS: a bigger range would be one huge report.
  if p_to < p_from or p_to - p_from + 1 > 366 then
    raise exception 'enqueue_report: % to % is not a range of 1 to 366 days', p_from, p_to using errcode = 'invalid_parameter_value';
  end if;
  -- Printable ASCII, at most 200 characters (parseIdempotencyKey), so the scoped key fits the column.
  if p_idempotency_key is not null and p_idempotency_key !~ '^[!-~]{1,200}$' then
    raise exception 'enqueue_report: invalid idempotency key' using errcode = 'invalid_parameter_value';
  end if;

  select m.org_id, o.plan, p.time_zone
    into org, org_plan, asker_zone
    from public.memberships m
    join public.organisations o on o.id = m.org_id
    join public.profiles p on p.id = m.user_id
   where m.user_id = p_user_id
   order by m.created_at
   limit 1;
  if not found then
    return jsonb_build_object('outcome', 'no_organisation');
  end if;

  if p_idempotency_key is not null then
    -- Scoped to the organisation, so two tenants can't collide on a key.
    scoped_key := org || ':' || p_idempotency_key;
    -- The same key at once: the second waits for the first to commit, then finds its job
    -- below, so it neither makes a second job nor takes a second token.
    perform pg_advisory_xact_lock(hashtextextended(report_type || ':' || scoped_key, 0));
    select * into job from public.jobs j where j.type = report_type and j.idempotency_key = scoped_key;
    if found then
      if job.payload ->> 'kind' is distinct from p_kind::text
         or job.payload ->> 'from' is distinct from to_char(p_from, 'YYYY-MM-DD')
         or job.payload ->> 'to' is distinct from to_char(p_to, 'YYYY-MM-DD')
         or job.payload ->> 'format' is distinct from p_format
         -- Jobs from before the payload recorded it can't be checked on this.
         or (job.payload ? 'notifyByEmail' and job.payload -> 'notifyByEmail' is distinct from to_jsonb(p_notify_by_email))
      then
        return jsonb_build_object('outcome', 'key_reused');
      end if;
      return jsonb_build_object(
        'outcome', 'existing',
        'job', jsonb_build_object('id', job.id, 'org_id', job.org_id, 'status', job.status, 'payload', job.payload),
        'plan', org_plan
      );
    end if;
  end if;

  -- A day after today, where the asker is, has no activity yet: its report would be incomplete.
  today := (now() at time zone asker_zone)::date;
  if p_to > today then
    return jsonb_build_object('outcome', 'future_day', 'today', to_char(today, 'YYYY-MM-DD'), 'time_zone', asker_zone);
  end if;

  select * into token
    from public.take_rate_limit_token(org, p_rate_limit_bucket, p_rate_limit, p_rate_limit_window_seconds);
  if not token.allowed then
    return jsonb_build_object('outcome', 'rate_limited', 'retry_after_ms', token.retry_after_ms);
  end if;

  -- The time zone the range means is recorded, so a retry reads the same days.
  job_payload := jsonb_build_object(
    'kind', p_kind,
    'from', to_char(p_from, 'YYYY-MM-DD'),
    'to', to_char(p_to, 'YYYY-MM-DD'),
    'format', p_format,
    'timeZone', asker_zone,
    'notifyByEmail', p_notify_by_email
  );
  insert into public.jobs (org_id, user_id, type, payload, max_attempts, notify_by_email, idempotency_key, event_name)
  values (org, p_user_id, report_type, job_payload, report_attempts, p_notify_by_email, scoped_key, report_event)
  returning * into job;
  insert into public.reports (job_id, org_id, kind, range_from, range_to, time_zone)
  values (job.id, org, p_kind, p_from, p_to, asker_zone);

  return jsonb_build_object(
    'outcome', 'created',
    'job', jsonb_build_object('id', job.id, 'org_id', job.org_id, 'status', job.status, 'payload', job.payload),
    'plan', org_plan
  );
end;
$$;

revoke all on function public.enqueue_report(uuid, public.report_kind, date, date, text, boolean, text, integer, integer, text)
  from public, anon, authenticated, service_role;
grant execute on function public.enqueue_report(uuid, public.report_kind, date, date, text, boolean, text, integer, integer, text)
  to service_role;
