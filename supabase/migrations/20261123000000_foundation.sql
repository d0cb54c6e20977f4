-- Offload's foundation: organisations and memberships (the tenant boundary), profiles, and
-- what happens to them when a user signs up or is deleted. Background work (`jobs`) builds
-- on this in the next migration.
--
-- Access model (enforced here, not in application code):
--   * members read their organisation's rows; nobody reads another organisation's;
--   * only the service role (Inngest functions, route handlers acting for the system)
--     writes; a signed-in user reads, and changes nothing but their own settings;
--   * anon reads nothing.

-- Schemas --------------------------------------------------------------------

-- `private`: helpers and tables nothing but this schema's own security-definer functions
-- touch. The Data API doesn't expose it, and no API role may even look inside.
create schema private;
revoke all on schema private from public, anon, authenticated, service_role;

-- Types ----------------------------------------------------------------------

create type public.membership_role as enum ('owner', 'admin', 'member');

-- An organisation's plan. An enum rather than a checked text, so the generated types (and
-- the app's schemas built from them) name the plans from here.
create type public.plan as enum ('free', 'pro');

-- Shared trigger functions ------------------------------------------------------

-- Keep updated_at honest without trusting callers.
create function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- Every table with a `time_zone` column (profiles here, reports later) checks it with this.
create function public.validate_time_zone()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- A zone Postgres doesn't know would break every query that reads it: refuse it on write.
  perform now() at time zone new.time_zone;
  return new;
exception when invalid_parameter_value then
  raise exception 'unknown time zone: %', new.time_zone using errcode = 'check_violation';
end;
$$;

-- Trigger functions run as the table's trigger, never called by a role.
revoke all on function public.set_updated_at() from public, anon, authenticated, service_role;
revoke all on function public.validate_time_zone() from public, anon, authenticated, service_role;

-- Organisations and memberships -----------------------------------------------

create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  -- Every user gets one personal organisation at sign-up; teams are created later.
  personal boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Paid organisations' jobs jump the queue (see generate-report's `priority`). Set with
  --   update public.organisations set plan = 'pro' where id = '…';
  plan public.plan not null default 'free'
);

create table public.memberships (
  org_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.membership_role not null default 'member',
  created_at timestamptz not null default now(),
  primary key (org_id, user_id)
);

create index memberships_user_id_idx on public.memberships (user_id);

create trigger organisations_set_updated_at
  before update on public.organisations
  for each row execute function public.set_updated_at();

-- Profiles --------------------------------------------------------------------

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  -- A copy of auth.users.email: the auth schema is not exposed through the API, and
  -- jobs (welcome email, digest) need the address. Kept in sync by a trigger below.
  email text not null,
  display_name text not null default '' check (char_length(display_name) <= 100),
  time_zone text not null default 'UTC' check (char_length(time_zone) between 1 and 64),
  digest_opt_in boolean not null default false,
  welcome_sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger profiles_set_updated_at
  before update on public.profiles
  for each row execute function public.set_updated_at();

create trigger profiles_validate_time_zone
  before insert or update of time_zone on public.profiles
  for each row execute function public.validate_time_zone();

-- Membership helpers ------------------------------------------------------------
-- Security definer so policies can consult memberships without recursing into the
-- memberships policy itself. `(select auth.uid())` is evaluated once per statement.

create function public.is_org_member(target_org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.org_id = target_org and m.user_id = (select auth.uid())
  );
$$;

create function public.shares_org_with(other_user uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships mine
    join public.memberships theirs on theirs.org_id = mine.org_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = other_user
  );
$$;

-- Called from policies (here and in later migrations), so by signed-in users only.
revoke all on function public.is_org_member(uuid) from public, anon, authenticated, service_role;
revoke all on function public.shares_org_with(uuid) from public, anon, authenticated, service_role;
grant execute on function public.is_org_member(uuid) to authenticated;
grant execute on function public.shares_org_with(uuid) to authenticated;

-- Row-level security ------------------------------------------------------------

alter table public.organisations enable row level security;
alter table public.memberships enable row level security;
alter table public.profiles enable row level security;

create policy "Members read their organisations"
  on public.organisations for select to authenticated
  using (public.is_org_member(id));

create policy "Members read their organisations' memberships"
  on public.memberships for select to authenticated
  using (public.is_org_member(org_id));

create policy "Members read profiles of people they share an organisation with"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()) or public.shares_org_with(id));

create policy "Users update their own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- Privileges ------------------------------------------------------------------------
-- Every migration grants each API role exactly what it uses, next to the table. Hosted
-- projects grant new tables to no role (the Data API answers 42501 without these lines),
-- older ones granted everything: start from nothing either way. RLS decides which rows;
-- these decide which operations exist at all, so a missing policy can't become a write
-- path. anon gets nothing anywhere.
revoke all on public.organisations, public.memberships, public.profiles from anon, authenticated, service_role;
grant select on public.organisations, public.memberships, public.profiles to authenticated;
-- Users may change their settings, not bookkeeping such as welcome_sent_at or email.
grant update (display_name, time_zone, digest_opt_in) on public.profiles to authenticated;
-- The server (route handlers and Inngest functions, with the secret key).
grant select, insert, update, delete on public.organisations, public.memberships, public.profiles to service_role;

-- New users -----------------------------------------------------------------------
-- Every sign-up gets a profile and a personal organisation it owns, in the same
-- transaction as the auth.users row, so no user exists without a tenant.

create function public.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  name text;
  new_org_id uuid;
begin
  -- Some GoTrue implementations store the metadata as a JSON-encoded string.
  if jsonb_typeof(meta) = 'string' then
    meta := (meta #>> '{}')::jsonb;
  end if;
  name := left(coalesce(nullif(btrim(meta ->> 'display_name'), ''),
                        split_part(coalesce(new.email, ''), '@', 1)), 100);

  insert into public.profiles (id, email, display_name)
  values (new.id, coalesce(new.email, ''), name);

  insert into public.organisations (name, personal)
  values (left(coalesce(nullif(name, ''), 'Personal') || '''s workspace', 100), true)
  returning id into new_org_id;

  insert into public.memberships (org_id, user_id, role)
  values (new_org_id, new.id, 'owner');

  return new;
end;
$$;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function public.handle_new_user();

create function public.sync_profile_email()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles set email = coalesce(new.email, '') where id = new.id;
  return new;
end;
$$;

create trigger on_auth_user_email_changed
  after update of email on auth.users
  for each row
  when (old.email is distinct from new.email)
  execute function public.sync_profile_email();

revoke all on function public.handle_new_user() from public, anon, authenticated, service_role;
revoke all on function public.sync_profile_email() from public, anon, authenticated, service_role;

-- Deleted users -------------------------------------------------------------------
-- Deleting a user (the Supabase dashboard's "Delete user", or the Auth admin API): their
-- personal workspace is theirs alone, so it goes with them, with its jobs, reports and
-- activity (foreign keys cascade). Team organisations stay; their jobs keep running
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
