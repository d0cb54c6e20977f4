-- Operations: who may administer, what they did, and what a failed job needs so it can be
-- investigated and replayed.
--
-- Two kinds of administrator:
--   * organisation owners and admins (memberships.role) administer their organisation's jobs;
--   * platform admins (this table) administer the whole install: every organisation, the
--     crons, the alerts. Granting it is an operator's act (service role or SQL), never the
--     user's own, so the flag lives outside `profiles`, which users may update.

create table public.platform_admins (
  user_id uuid primary key references auth.users (id) on delete cascade,
  created_at timestamptz not null default now()
);

alter table public.platform_admins enable row level security;

-- A user may learn whether they themselves are one (the console's guard asks); nothing more.
create policy "Users see their own platform admin grant"
  on public.platform_admins for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on public.platform_admins from anon, authenticated, service_role;
grant select on public.platform_admins to authenticated;
grant select, insert, update, delete on public.platform_admins to service_role;

-- Jobs: replays and failure history -------------------------------------------------

-- The Inngest event that started the job, so a replay can send it again (with a new id).
alter table public.jobs add column event_name text check (char_length(event_name) <= 200);
-- A replay is a new job; this points at the job it replays.
alter table public.jobs add column replay_of uuid references public.jobs (id) on delete set null;
-- When the job first failed (a retry or the final failure); failed_at is the last.
alter table public.jobs add column first_failed_at timestamptz;
-- A failed job is replayed at most once, and the original remembers that it was: "dead
-- letters still waiting for a replay" is one indexed filter rather than an anti-join, and
-- it stays true after the cleanup cron has deleted the (completed) replay, which it does
-- 60 days before the (failed) original.
alter table public.jobs add column replayed_at timestamptz;

create index jobs_replay_of_idx on public.jobs (replay_of) where replay_of is not null;
-- Dead letters are listed newest failure first, per type.
create index jobs_failed_type_failed_at_idx on public.jobs (type, failed_at desc) where status = 'failed';
-- Dead letters are paged by `seq`: newest first in the list, oldest first for a bulk
-- replay (a btree reads both ways).
create index jobs_failed_seq_idx on public.jobs (seq) where status = 'failed';

create function public.track_job_first_failure()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status in ('retrying', 'failed') and new.first_failed_at is null then
    new.first_failed_at := coalesce(new.failed_at, now());
  end if;
  return new;
end;
$$;

revoke all on function public.track_job_first_failure() from public, anon, authenticated, service_role;

create trigger jobs_track_first_failure
  before insert or update of status on public.jobs
  for each row execute function public.track_job_first_failure();

-- Set in the same statement as the replay's insert, so the two can't disagree. Replaying
-- anything but a failed job, or a job twice, is refused here whatever the caller checked.
create function public.mark_job_replayed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update public.jobs
     set replayed_at = now()
   where id = new.replay_of
     and status = 'failed'
     and replayed_at is null;
  if not found then
    -- The hint tells this refusal from the jobs table's other check violations.
    raise exception 'job % is not a failed job awaiting replay', new.replay_of
      using errcode = 'check_violation', hint = 'already_replayed';
  end if;
  return null;
end;
$$;

revoke all on function public.mark_job_replayed() from public, anon, authenticated, service_role;

create trigger jobs_mark_replayed
  after insert on public.jobs
  for each row
  when (new.replay_of is not null)
  execute function public.mark_job_replayed();

-- Audit log ---------------------------------------------------------------------------------
-- Every admin action: who, what, when, on which organisation and jobs. Append-only, written
-- and read by the server with the service role; users have no access at all.

create table public.audit_log (
  id bigint generated always as identity primary key,
  -- Plain values, no foreign keys: deleting a user or an organisation must not rewrite the
  -- log (`on delete set null` would be an update, which the log refuses), and the entry
  -- still says who and where after they are gone.
  actor_id uuid,
  actor_email text not null,
  action text not null check (action ~ '^[a-z][a-z0-9_.]{0,63}$'),
  org_id uuid,
  job_ids uuid[] not null default '{}',
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  -- The organisation's name when the entry was written (audit_log_snapshot_org_name).
  org_name text check (char_length(org_name) <= 100)
);

create index audit_log_created_at_idx on public.audit_log (created_at desc);
create index audit_log_job_ids_idx on public.audit_log using gin (job_ids);

alter table public.audit_log enable row level security;
-- Append-only for the server too: it may add and read entries, never change them.
revoke all on public.audit_log from anon, authenticated, service_role;
grant select, insert on public.audit_log to service_role;

create function public.audit_log_snapshot_org_name()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.org_id is not null and new.org_name is null then
    new.org_name := (select o.name from public.organisations o where o.id = new.org_id);
  end if;
  return new;
end;
$$;

revoke all on function public.audit_log_snapshot_org_name() from public, anon, authenticated, service_role;

create trigger audit_log_snapshot_org_name
  before insert on public.audit_log
  for each row execute function public.audit_log_snapshot_org_name();

-- Append-only means no UPDATE, DELETE or TRUNCATE, whoever asks. Entries leave only by age,
-- through purge_audit_log, which is the one place that says so.
create function public.forbid_audit_log_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and current_setting('offload.audit_log_purge', true) = 'on' then
    return old;
  end if;
  raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
end;
$$;

revoke all on function public.forbid_audit_log_change() from public, anon, authenticated, service_role;

create trigger audit_log_append_only
  before update on public.audit_log
  for each row execute function public.forbid_audit_log_change();

create trigger audit_log_no_delete
  before delete on public.audit_log
  for each row execute function public.forbid_audit_log_change();

create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function public.forbid_audit_log_change();

-- Run by an operator (SQL editor, psql), e.g. `select public.purge_audit_log(now() - interval '2 years')`.
-- No API role may call it.
create function public.purge_audit_log(p_before timestamptz)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  purged integer;
begin
  perform set_config('offload.audit_log_purge', 'on', true);
  delete from public.audit_log where created_at < p_before;
  get diagnostics purged = row_count;
  perform set_config('offload.audit_log_purge', 'off', true);
  return purged;
end;
$$;

revoke all on function public.purge_audit_log(timestamptz) from public, anon, authenticated, service_role;
