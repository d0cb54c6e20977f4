-- Metrics and alerts: how each kind of job is doing, computed where the rows are, and the
-- incidents the alert cron opens and resolves from those figures.
--
-- The functions run as their caller (security invoker) and only service_role may call
-- them: the app checks the admin's scope first (lib/admin/access.ts) and passes the
-- organisations it covers, and service_role already reads every row, so running as the
-- definer would add privilege and nothing else.
--
-- Definitions, once for every function below:
--   * A job counts in a window by when it finished: completed_at for completed jobs,
--     failed_at for failed ones (the dead letters). Cancelled jobs are neither a success
--     nor a failure (a person chose to stop them) and are left out of every rate.
--   * Duration = completed_at - started_at, of completed jobs only. started_at is the
--     first attempt's start, so the duration is the time from leaving the queue to done,
--     retries and their backoff included: what the job's user waited once work began.
--     Time spent queued is reported separately (oldest pending age), and failed jobs are
--     left out because a failure's "duration" mostly measures the retry schedule.
--   * Percentiles are percentile_cont (linear interpolation between the two nearest
--     durations), so p95 of 1..10 s is 9.55 s, not the nearest-rank 10 s.
--   * Queue figures (pending, retrying, processing, oldest pending, stuck) describe the
--     jobs' statuses now; ages are measured at p_now (now() unless a caller pins it).

-- Finished jobs by when they finished, for window and baseline scans.
create index jobs_completed_at_idx on public.jobs (completed_at) where status = 'completed';
create index jobs_failed_at_idx on public.jobs (failed_at) where status = 'failed';

-- Per job type over [p_from, p_to) ---------------------------------------------------------
-- p_org_ids: the organisations to count; null means every organisation (platform admins).
-- Stuck: processing or retrying for longer than twice the type's p95 over the baseline
-- (p_baseline_seconds before p_now), or than p_stuck_after_seconds, whichever is shorter;
-- a type with no completed job in the baseline has only the limit.

create function public.job_metrics(
  p_from timestamptz,
  p_to timestamptz,
  p_org_ids uuid[] default null,
  p_now timestamptz default now(),
  p_stuck_after_seconds double precision default 3600,
  p_baseline_seconds double precision default 86400
)
returns table (
  job_type text,
  completed bigint,
  failed bigint,
  throughput_per_minute double precision,
  success_rate double precision,
  failure_rate double precision,
  p50_ms double precision,
  p95_ms double precision,
  p99_ms double precision,
  pending bigint,
  retrying bigint,
  processing bigint,
  queue_depth bigint,
  oldest_pending_seconds double precision,
  stuck bigint,
  stuck_after_seconds double precision
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
#variable_conflict use_column
begin
  if p_to <= p_from then
    raise exception 'the window must end after it starts (% to %)', p_from, p_to
      using errcode = 'invalid_parameter_value';
  end if;
  if p_stuck_after_seconds <= 0 or p_baseline_seconds <= 0 then
    raise exception 'the stuck limit and the baseline must be positive'
      using errcode = 'invalid_parameter_value';
  end if;

  return query
  with finished as (
    select j.type, true as ok, extract(epoch from j.completed_at - j.started_at)::double precision * 1000 as ms
    from public.jobs j
    where j.status = 'completed' and j.completed_at >= p_from and j.completed_at < p_to
      and (p_org_ids is null or j.org_id = any (p_org_ids))
    union all
    select j.type, false, null
    from public.jobs j
    where j.status = 'failed' and j.failed_at >= p_from and j.failed_at < p_to
      and (p_org_ids is null or j.org_id = any (p_org_ids))
  ),
  outcomes as (
    select f.type,
           count(*) filter (where f.ok) as completed,
           count(*) filter (where not f.ok) as failed,
           percentile_cont(array[0.5, 0.95, 0.99]) within group (order by f.ms) as pct
    from finished f
    group by f.type
  ),
  baseline as (
    select j.type,
           percentile_cont(0.95) within group (order by extract(epoch from j.completed_at - j.started_at)) as p95_seconds
    from public.jobs j
    where j.status = 'completed' and j.started_at is not null
      and j.completed_at >= p_now - make_interval(secs => p_baseline_seconds) and j.completed_at < p_now
      and (p_org_ids is null or j.org_id = any (p_org_ids))
    group by j.type
  ),
  active as (
    select j.type,
           count(*) filter (where j.status = 'pending') as pending,
           count(*) filter (where j.status = 'retrying') as retrying,
           count(*) filter (where j.status = 'processing') as processing,
           min(j.created_at) filter (where j.status = 'pending') as oldest_pending_at,
           count(*) filter (
             where j.status in ('processing', 'retrying')
               and j.started_at < p_now - make_interval(secs => least(2 * b.p95_seconds, p_stuck_after_seconds))
           ) as stuck
    from public.jobs j
    left join baseline b on b.type = j.type
    where j.status in ('pending', 'processing', 'retrying') and j.created_at <= p_now
      and (p_org_ids is null or j.org_id = any (p_org_ids))
    group by j.type
  ),
  types as (
    select o.type from outcomes o union select a.type from active a
  )
  select t.type,
         coalesce(o.completed, 0),
         coalesce(o.failed, 0),
         coalesce(o.completed + o.failed, 0) / (extract(epoch from p_to - p_from)::double precision / 60),
         o.completed::double precision / nullif(o.completed + o.failed, 0),
         o.failed::double precision / nullif(o.completed + o.failed, 0),
         o.pct[1],
         o.pct[2],
         o.pct[3],
         coalesce(a.pending, 0),
         coalesce(a.retrying, 0),
         coalesce(a.processing, 0),
         coalesce(a.pending + a.retrying, 0),
         extract(epoch from p_now - a.oldest_pending_at)::double precision,
         coalesce(a.stuck, 0),
         -- least() skips nulls: no baseline leaves the limit.
         least(2 * b.p95_seconds, p_stuck_after_seconds)
  from types t
  left join outcomes o on o.type = t.type
  left join active a on a.type = t.type
  left join baseline b on b.type = t.type
  order by t.type;
end;
$$;

-- Per bucket and job type, for charts ------------------------------------------------------
-- Every bucket of the window appears for every type that finished a job in it (zeros where
-- nothing happened), so a chart needs no gap filling. Buckets are aligned to round times
-- (p_bucket_seconds from 2000-01-01 UTC), so the first and last may be partial.

create function public.job_metrics_series(
  p_from timestamptz,
  p_to timestamptz,
  p_bucket_seconds integer,
  p_org_ids uuid[] default null
)
returns table (bucket_start timestamptz, job_type text, completed bigint, failed bigint, p95_ms double precision)
language plpgsql
stable
security invoker
set search_path = ''
as $$
#variable_conflict use_column
declare
  step interval := make_interval(secs => p_bucket_seconds);
  origin constant timestamptz := timestamptz '2000-01-01 00:00:00+00';
begin
  if p_to <= p_from then
    raise exception 'the window must end after it starts (% to %)', p_from, p_to
      using errcode = 'invalid_parameter_value';
  end if;
  if p_bucket_seconds < 1 or extract(epoch from p_to - p_from) / p_bucket_seconds > 1000 then
    raise exception 'buckets of % s make too many (at most 1,000 per window)', p_bucket_seconds
      using errcode = 'invalid_parameter_value';
  end if;

  return query
  with finished as (
    select j.type, date_bin(step, j.completed_at, origin) as bucket, true as ok,
           extract(epoch from j.completed_at - j.started_at)::double precision * 1000 as ms
    from public.jobs j
    where j.status = 'completed' and j.completed_at >= p_from and j.completed_at < p_to
      and (p_org_ids is null or j.org_id = any (p_org_ids))
    union all
    select j.type, date_bin(step, j.failed_at, origin), false, null
    from public.jobs j
    where j.status = 'failed' and j.failed_at >= p_from and j.failed_at < p_to
      and (p_org_ids is null or j.org_id = any (p_org_ids))
  ),
  per_bucket as (
    select f.type, f.bucket,
           count(*) filter (where f.ok) as completed,
           count(*) filter (where not f.ok) as failed,
           percentile_cont(0.95) within group (order by f.ms) as p95_ms
    from finished f
    group by f.type, f.bucket
  ),
  buckets as (
    select generate_series(date_bin(step, p_from, origin), p_to - interval '1 microsecond', step) as bucket
  )
  select b.bucket, t.type, coalesce(p.completed, 0), coalesce(p.failed, 0), p.p95_ms
  from buckets b
  cross join (select distinct f.type from finished f) t
  left join per_bucket p on p.type = t.type and p.bucket = b.bucket
  order by t.type, b.bucket;
end;
$$;

revoke all on function public.job_metrics(timestamptz, timestamptz, uuid[], timestamptz, double precision, double precision)
  from public, anon, authenticated, service_role;
revoke all on function public.job_metrics_series(timestamptz, timestamptz, integer, uuid[])
  from public, anon, authenticated, service_role;
grant execute on function public.job_metrics(timestamptz, timestamptz, uuid[], timestamptz, double precision, double precision)
  to service_role;
grant execute on function public.job_metrics_series(timestamptz, timestamptz, integer, uuid[]) to service_role;

-- Alert incidents ---------------------------------------------------------------------------
-- An incident is one stretch of time during which a rule failed for a job type: opened
-- when the alert cron first sees it fail, kept up to date while it keeps failing, resolved
-- the first time it passes. The admins are emailed once per incident (notified_at), so a
-- rule that fails for an hour sends one email, and one that clears and fails again sends
-- a second. Install-wide, so written and read by the server with the service role only.

create table public.alert_incidents (
  id uuid primary key default gen_random_uuid(),
  rule text not null check (rule ~ '^[a-z][a-z_]{0,63}$'),
  job_type text not null check (job_type ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  -- The figure that broke the rule, as last seen, and the threshold it broke.
  value double precision not null,
  threshold double precision not null,
  opened_at timestamptz not null,
  last_seen_at timestamptz not null,
  resolved_at timestamptz,
  notified_at timestamptz,
  check (last_seen_at >= opened_at),
  check (resolved_at is null or resolved_at >= opened_at)
);

-- At most one open incident per rule and job type: the cron's "open" is an insert that
-- this index turns into nothing while one is open, even if two checks overlap.
create unique index alert_incidents_open_idx on public.alert_incidents (rule, job_type) where resolved_at is null;
create index alert_incidents_opened_at_idx on public.alert_incidents (opened_at desc);

alter table public.alert_incidents enable row level security;
revoke all on public.alert_incidents from anon, authenticated, service_role;
grant select, insert, update, delete on public.alert_incidents to service_role;

-- Records one check. The rules failing now come as parallel arrays, one entry per rule and
-- job type (the figure that broke it and the threshold): typed, where a JSON argument
-- would have to be picked apart. Opens an incident for each that has none open, updates
-- the open ones still failing, and resolves the open ones no longer failing. Returns each
-- incident it touched with what happened to it: 'opened', 'ongoing' or 'resolved'.

create function public.record_alert_check(
  p_checked_at timestamptz,
  p_rules text[],
  p_job_types text[],
  p_values double precision[],
  p_thresholds double precision[]
)
returns table (
  id uuid,
  rule text,
  job_type text,
  value double precision,
  threshold double precision,
  opened_at timestamptz,
  resolved_at timestamptz,
  notified_at timestamptz,
  change text
)
language plpgsql
volatile
security invoker
set search_path = ''
as $$
#variable_conflict use_column
begin
  if cardinality(p_rules) is distinct from cardinality(p_job_types)
     or cardinality(p_rules) is distinct from cardinality(p_values)
     or cardinality(p_rules) is distinct from cardinality(p_thresholds) then
    raise exception 'one job type, value and threshold per rule' using errcode = 'invalid_parameter_value';
  end if;

  return query
  -- Never before it was last seen: checks from two servers may disagree about the time.
  update public.alert_incidents i set resolved_at = greatest(i.last_seen_at, p_checked_at)
  where i.resolved_at is null
    and not exists (
      select 1 from unnest(p_rules, p_job_types) as f (rule, job_type)
      where f.rule = i.rule and f.job_type = i.job_type
    )
  returning i.id, i.rule, i.job_type, i.value, i.threshold, i.opened_at, i.resolved_at, i.notified_at, 'resolved'::text;

  return query
  update public.alert_incidents i
  set value = f.value, threshold = f.threshold, last_seen_at = greatest(i.last_seen_at, p_checked_at)
  from unnest(p_rules, p_job_types, p_values, p_thresholds) as f (rule, job_type, value, threshold)
  where i.resolved_at is null and i.rule = f.rule and i.job_type = f.job_type
  returning i.id, i.rule, i.job_type, i.value, i.threshold, i.opened_at, i.resolved_at, i.notified_at, 'ongoing'::text;

  -- Runs after the update, so it sees which are open; the unique index skips those.
  return query
  insert into public.alert_incidents as i (rule, job_type, value, threshold, opened_at, last_seen_at)
  select f.rule, f.job_type, f.value, f.threshold, p_checked_at, p_checked_at
  from unnest(p_rules, p_job_types, p_values, p_thresholds) as f (rule, job_type, value, threshold)
  on conflict (rule, job_type) where resolved_at is null do nothing
  returning i.id, i.rule, i.job_type, i.value, i.threshold, i.opened_at, i.resolved_at, i.notified_at, 'opened'::text;
end;
$$;

revoke all on function public.record_alert_check(timestamptz, text[], text[], double precision[], double precision[])
  from public, anon, authenticated, service_role;
grant execute on function public.record_alert_check(timestamptz, text[], text[], double precision[], double precision[])
  to service_role;
