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

-- Plans ---------------------------------------------------------------------------------
-- Paid organisations' jobs jump the queue (see generate-report's `priority`). Set with
--   update public.organisations set plan = 'pro' where id = '…';

alter table public.organisations
  add column plan text not null default 'free' check (plan in ('free', 'pro'));

-- Jobs: replay lineage and failure history -------------------------------------------------

-- The Inngest event that started the job, so a replay can send it again (with a new id).
alter table public.jobs add column event_name text check (char_length(event_name) <= 200);
-- A replay is a new job; this points at the job it replays.
alter table public.jobs add column replay_of uuid references public.jobs (id) on delete set null;
-- When the job first failed (a retry or the final failure); failed_at is the last.
alter table public.jobs add column first_failed_at timestamptz;

create index jobs_replay_of_idx on public.jobs (replay_of) where replay_of is not null;
-- Dead letters are listed newest failure first, per type.
create index jobs_failed_type_failed_at_idx on public.jobs (type, failed_at desc) where status = 'failed';

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

-- Audit log ---------------------------------------------------------------------------------
-- Every admin action: who, what, when, on which organisation and jobs. Append-only, written
-- and read by the server with the service role; users have no access at all.

create table public.audit_log (
  id bigint generated always as identity primary key,
  actor_id uuid references auth.users (id) on delete set null,
  -- Kept as text so the entry still says who after the account is deleted.
  actor_email text not null,
  action text not null check (action ~ '^[a-z][a-z0-9_.]{0,63}$'),
  org_id uuid references public.organisations (id) on delete set null,
  job_ids uuid[] not null default '{}',
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create index audit_log_created_at_idx on public.audit_log (created_at desc);
create index audit_log_job_ids_idx on public.audit_log using gin (job_ids);

alter table public.audit_log enable row level security;
-- Append-only for the server too: it may add and read entries, never change them.
revoke all on public.audit_log from anon, authenticated, service_role;
grant select, insert on public.audit_log to service_role;

create function public.forbid_audit_log_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
end;
$$;

revoke all on function public.forbid_audit_log_change() from public, anon, authenticated, service_role;

create trigger audit_log_append_only
  before update on public.audit_log
  for each row execute function public.forbid_audit_log_change();
