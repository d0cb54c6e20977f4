-- Job counters: how many jobs of each type ever finished, and how long the completed ones
-- took, as running totals for GET /api/metrics (Prometheus).
--
-- Prometheus counters may never go down, but the nightly cleanup deletes completed and
-- cancelled jobs after 30 days and failed ones after 90 (lib/jobs/cleanup.ts), so totals
-- counted from `jobs` would drop every night. These tables keep them instead: a trigger
-- adds each job once, when it reaches a terminal state (nothing leaves one, see
-- guard_job_update), and the cleanup never touches them. Definitions are the metrics
-- migration's (20261124010000_metrics.sql): duration = completed_at - started_at, of
-- completed jobs that started. Install-wide, so read by the server with the service role only.

-- The duration histogram's upper bounds in seconds, in one place: the trigger files each
-- duration under the first bound it doesn't exceed ('Infinity' past the last), and
-- job_duration_histogram reports every bound. Changing them later needs a migration that
-- re-files the existing rows (totals per old bound can't be split).
create function public.job_duration_bounds()
returns double precision[]
language sql
immutable
set search_path = ''
as $$
  select array[1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600]::double precision[];
$$;

create table public.job_counters (
  job_type text primary key check (job_type ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  completed bigint not null default 0 check (completed >= 0),
  failed bigint not null default 0 check (failed >= 0),
  cancelled bigint not null default 0 check (cancelled >= 0),
  -- Of the completed jobs that started: the histogram's _sum and _count.
  duration_seconds_sum double precision not null default 0,
  duration_count bigint not null default 0 check (duration_count >= 0)
);

-- One row per type and bound that saw a duration; `le` is the bound the durations fell
-- under (not cumulative: job_duration_histogram adds them up).
create table public.job_duration_buckets (
  job_type text not null check (job_type ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  le double precision not null,
  observations bigint not null default 0 check (observations >= 0),
  primary key (job_type, le)
);

alter table public.job_counters enable row level security;
alter table public.job_duration_buckets enable row level security;
revoke all on public.job_counters from anon, authenticated, service_role;
revoke all on public.job_duration_buckets from anon, authenticated, service_role;
-- Read only, even for the server: only the trigger writes them.
grant select on public.job_counters to service_role;
grant select on public.job_duration_buckets to service_role;

create function public.job_duration_bucket(p_seconds double precision)
returns double precision
language sql
immutable
set search_path = ''
as $$
  select coalesce(min(b), 'Infinity'::double precision)
  from unnest(public.job_duration_bounds()) as b
  where p_seconds <= b;
$$;

-- Counts one job that just reached a terminal state. Security definer: whoever writes the
-- job, the count must not depend on their grants (the tables are read-only to the API roles).
-- One upsert per job on its type's row: concurrent finishes of one type queue on that row
-- only for the length of their own single-statement transactions.
create function public.count_finished_job()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  seconds double precision;
begin
  if new.status = 'completed' and new.started_at is not null and new.completed_at is not null then
    seconds := extract(epoch from new.completed_at - new.started_at)::double precision;
  end if;

  insert into public.job_counters as c (job_type, completed, failed, cancelled, duration_seconds_sum, duration_count)
  values (
    new.type,
    (new.status = 'completed')::int,
    (new.status = 'failed')::int,
    (new.status = 'cancelled')::int,
    coalesce(seconds, 0),
    (seconds is not null)::int
  )
  on conflict (job_type) do update set
    completed = c.completed + excluded.completed,
    failed = c.failed + excluded.failed,
    cancelled = c.cancelled + excluded.cancelled,
    duration_seconds_sum = c.duration_seconds_sum + excluded.duration_seconds_sum,
    duration_count = c.duration_count + excluded.duration_count;

  if seconds is not null then
    insert into public.job_duration_buckets as b (job_type, le, observations)
    values (new.type, public.job_duration_bucket(seconds), 1)
    on conflict (job_type, le) do update set observations = b.observations + 1;
  end if;
  return null;
end;
$$;

revoke all on function public.job_duration_bounds() from public, anon, authenticated, service_role;
revoke all on function public.job_duration_bucket(double precision) from public, anon, authenticated, service_role;
revoke all on function public.count_finished_job() from public, anon, authenticated, service_role;

-- A job counts once: inserted already finished (an import, a test's history), or updated
-- into a terminal state from a live one.
create trigger jobs_count_finished_insert
  after insert on public.jobs
  for each row when (new.status in ('completed', 'failed', 'cancelled'))
  execute function public.count_finished_job();

create trigger jobs_count_finished_update
  after update of status on public.jobs
  for each row when (
    new.status in ('completed', 'failed', 'cancelled')
    and old.status not in ('completed', 'failed', 'cancelled')
  )
  execute function public.count_finished_job();

-- Backfill from the jobs there are now. The triggers exist already and creating them
-- locked `jobs` against writes until this migration commits, so no job is counted twice
-- or missed. Jobs the cleanup deleted before today are gone and can't be counted.
insert into public.job_counters (job_type, completed, failed, cancelled, duration_seconds_sum, duration_count)
select j.type,
       count(*) filter (where j.status = 'completed'),
       count(*) filter (where j.status = 'failed'),
       count(*) filter (where j.status = 'cancelled'),
       coalesce(sum(extract(epoch from j.completed_at - j.started_at)::double precision)
         filter (where j.status = 'completed' and j.started_at is not null and j.completed_at is not null), 0),
       count(*) filter (where j.status = 'completed' and j.started_at is not null and j.completed_at is not null)
from public.jobs j
where j.status in ('completed', 'failed', 'cancelled')
group by j.type;

insert into public.job_duration_buckets (job_type, le, observations)
select j.type, public.job_duration_bucket(extract(epoch from j.completed_at - j.started_at)::double precision), count(*)
from public.jobs j
where j.status = 'completed' and j.started_at is not null and j.completed_at is not null
group by 1, 2;

-- The histogram as Prometheus exposes it: per job type with any count, every bound and
-- +Inf, each with the number of durations at or under it (cumulative), and the type's sum
-- and count on every row: one statement, so the +Inf bucket and the count always agree.
-- `le` is the label's text ('+Inf' for the last), so no client has to carry an infinite
-- number through JSON. Ordered by type, then bound.
create function public.job_duration_histogram()
returns table (job_type text, le text, cumulative bigint, duration_seconds_sum double precision, duration_count bigint)
language sql
stable
security invoker
set search_path = ''
as $$
  select c.job_type,
         case when bound.le = 'Infinity' then '+Inf' else bound.le::text end,
         (sum(coalesce(b.observations, 0)) over (partition by c.job_type order by bound.le))::bigint,
         c.duration_seconds_sum,
         c.duration_count
  from public.job_counters c
  cross join unnest(public.job_duration_bounds() || 'Infinity'::double precision) as bound (le)
  left join public.job_duration_buckets b on b.job_type = c.job_type and b.le = bound.le
  order by c.job_type, bound.le;
$$;

revoke all on function public.job_duration_histogram() from public, anon, authenticated, service_role;
-- job_duration_histogram runs as its caller, who reads the bounds through it.
grant execute on function public.job_duration_bounds() to service_role;
grant execute on function public.job_duration_histogram() to service_role;
