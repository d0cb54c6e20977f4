-- Deleting a user (the Supabase dashboard's "Delete user", or the Auth admin API) or an
-- organisation failed: the audit log's foreign keys were `on delete set null`, which is an
-- UPDATE of the log, and the log refuses updates. The log now keeps who did what as plain
-- values that nothing rewrites: actor_id and actor_email, org_id and the organisation's
-- name as it was when the entry was written.

alter table public.audit_log
  drop constraint audit_log_actor_id_fkey,
  drop constraint audit_log_org_id_fkey,
  add column org_name text check (char_length(org_name) <= 100);

-- A one-off backfill of the new column: the only change the log ever allows.
alter table public.audit_log disable trigger audit_log_append_only;
update public.audit_log a set org_name = o.name from public.organisations o where o.id = a.org_id;
alter table public.audit_log enable trigger audit_log_append_only;

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
create or replace function public.forbid_audit_log_change()
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

-- A user's personal workspace is theirs alone: it goes when they do, with its jobs, reports
-- and activity (foreign keys cascade). Team organisations stay; their jobs keep running
-- without the user (jobs.user_id becomes null).
create function public.delete_personal_organisations()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.organisations o
  using public.memberships m
  where m.org_id = o.id and m.user_id = old.id and m.role = 'owner' and o.personal;
  return old;
end;
$$;

revoke all on function public.delete_personal_organisations() from public, anon, authenticated, service_role;

create trigger on_auth_user_deleted
  before delete on auth.users
  for each row execute function public.delete_personal_organisations();
