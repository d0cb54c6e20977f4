-- The job mirror's state machine lives in lib/jobs. The database adds what must hold even
-- if a write bypasses it: optimistic locking (a version bumped on every update, so
-- concurrent writers can compare-and-set) and the two invariants retries and duplicate
-- deliveries must never break: nothing leaves a terminal state, progress never goes back.

alter table public.jobs add column version integer not null default 0;

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
