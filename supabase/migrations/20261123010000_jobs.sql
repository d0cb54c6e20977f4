-- `jobs`: the mirror of background work that every later feature writes. Inngest runs the
-- work; this table is what the app shows and checks (status, progress, result, retries).
--
-- The state machine lives in lib/jobs. The database adds what must hold even if a write
-- bypasses it: optimistic locking (a version bumped on every update, so concurrent writers
-- can compare-and-set) and the two invariants retries and duplicate deliveries must never
-- break: nothing leaves a terminal state, progress never goes back.
--
-- Only the service role writes jobs; members of the organisation read them.

create type public.job_status as enum (
  'pending', 'processing', 'retrying', 'completed', 'failed', 'cancelled'
);

create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  type text not null check (type ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  payload jsonb not null default '{}'::jsonb,
  status public.job_status not null default 'pending',
  progress smallint not null default 0 check (progress between 0 and 100),
  progress_message text check (char_length(progress_message) <= 200),
  result jsonb,
  error text,
  attempt integer not null default 0 check (attempt >= 0),
  max_attempts integer not null default 1 check (max_attempts >= 1),
  idempotency_key text check (char_length(idempotency_key) between 1 and 255),
  notify_by_email boolean not null default false,
  inngest_event_id text,
  inngest_run_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  failed_at timestamptz,
  cancelled_at timestamptz,
  -- Bumped by every update (guard_job_update below), for compare-and-set.
  version integer not null default 0,
  -- A stable order for the jobs list: created_at has ties and the API returns it rounded.
  seq bigint generated always as identity,
  -- Two requests carrying the same key for the same kind of work are one job.
  constraint jobs_type_idempotency_key_key unique (type, idempotency_key)
);

-- Queue views (dead letters, metrics) scan by status and age; users list by org.
create index jobs_status_created_at_idx on public.jobs (status, created_at);
create index jobs_org_id_status_created_at_idx on public.jobs (org_id, status, created_at);
create index jobs_user_id_status_idx on public.jobs (user_id, status);
create unique index jobs_org_id_seq_idx on public.jobs (org_id, seq desc);
-- A run cancelled outside the app (the Inngest dashboard or REST API) is matched to its
-- job by run id (inngest/functions/end-cancelled-jobs.ts); without an index that is a
-- scan of every job. Partial: jobs that never started have no run id.
create index jobs_inngest_run_id_idx on public.jobs (inngest_run_id) where inngest_run_id is not null;

create trigger jobs_set_updated_at
  before update on public.jobs
  for each row execute function public.set_updated_at();

-- State guards ------------------------------------------------------------------

create function public.guard_job_update()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status in ('completed', 'failed', 'cancelled') and new.status is distinct from old.status then
    raise exception 'job % is % and cannot become %', old.id, old.status, new.status
      using errcode = 'check_violation';
  end if;
  if new.progress < old.progress then
    raise exception 'job % progress cannot go back from % to %', old.id, old.progress, new.progress
      using errcode = 'check_violation';
  end if;
  new.version := old.version + 1;
  return new;
end;
$$;

revoke all on function public.guard_job_update() from public, anon, authenticated, service_role;

create trigger jobs_guard_update
  before update on public.jobs
  for each row execute function public.guard_job_update();

-- Access ------------------------------------------------------------------------------
-- (See the foundation migration for why every table starts from no privileges.)

alter table public.jobs enable row level security;

create policy "Members read their organisations' jobs"
  on public.jobs for select to authenticated
  using (public.is_org_member(org_id));

revoke all on public.jobs from anon, authenticated, service_role;
grant select on public.jobs to authenticated;
grant select, insert, update, delete on public.jobs to service_role;

-- Cleanup -------------------------------------------------------------------------------
-- The nightly cleanup deletes a batch of expired jobs in one statement: selecting the ids
-- and then deleting `id in (…)` would put hundreds of UUIDs in one request URL, and a
-- hosted project's API gateway refuses URLs over about 8 KB. A job's report and its file
-- go with it (foreign keys cascade). `skip locked` lets a job being written right now wait
-- for the next night.
create function public.delete_expired_jobs(p_status public.job_status, p_before timestamptz, p_limit integer)
returns integer
language sql
set search_path = ''
as $$
  with doomed as (
    select id from public.jobs
    where status = p_status
      and case p_status
            when 'completed' then completed_at
            when 'failed' then failed_at
            when 'cancelled' then cancelled_at
          end < p_before
    limit p_limit
    for update skip locked
  ),
  deleted as (
    delete from public.jobs j using doomed d where j.id = d.id returning 1
  )
  select count(*)::integer from deleted;
$$;

revoke all on function public.delete_expired_jobs(public.job_status, timestamptz, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.delete_expired_jobs(public.job_status, timestamptz, integer) to service_role;
