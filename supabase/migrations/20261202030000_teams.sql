-- Teams: organisations people share. A user keeps the personal workspace made at sign-up
-- and may create teams, invite people to them by email, and switch between them.
--
-- Access model (enforced here, whatever path a write takes: the app, the Data API called
-- directly with a user's token, or the SQL editor):
--   * roles: owner > admin > member. Owners do everything; admins invite, remove and
--     change the roles of members and admins, and rename the team; members read and leave;
--   * an organisation always has an owner (removing or demoting the last one is refused);
--   * a personal workspace has exactly its one owner: nobody joins, leaves or renames it;
--   * a team's name is trimmed and has no control characters (it shows in switchers and
--     email subjects);
--   * invitations are read and written by the team's owners and admins (never their token's
--     hash or nonce); a caller who may not invite into a team is refused before anything
--     about the team is checked, so the refusal tells them nothing about who is in it;
--     a link lives 7 days from when its token was made, and only a new token renews it;
--     accepting one goes through accept_invitation, which checks the token, its expiry,
--     the address and that the address is confirmed;
--   * every user's current organisation is a row of current_organisations that only they
--     read and write; its foreign key to their membership keeps it to an organisation they
--     belong to, and removes it (back to the default) when they leave;
--   * deleting a user who is a team's last owner hands the team to its longest-standing
--     admin (else member), or deletes it when nobody is left, under the team's lock, so
--     co-owners deleted together or at once don't fail the deletion.
-- Every refusal raises a SQLSTATE with a hint naming the rule (lib/teams maps them to 4xx);
-- constraints are named in the message instead.

-- Slugs ------------------------------------------------------------------------

alter table public.organisations add column slug text;

-- Teams made before slugs existed (e.g. by the admin CLI): one from the name, made unique
-- by the start of the id.
update public.organisations
set slug = coalesce(nullif(trim(both '-' from left(trim(both '-' from regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 39)), ''), 'team')
  || '-' || left(id::text, 8)
where not personal;

alter table public.organisations
  add constraint organisations_slug_format
    check (char_length(slug) between 2 and 48 and slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  -- A team is addressed by its slug; a personal workspace has none.
  add constraint organisations_slug_iff_team check (personal = (slug is null)),
  add constraint organisations_slug_key unique (slug);

-- Team names ------------------------------------------------------------------------
-- One trimmed line: the API trims and refuses control characters (lib/teams/schemas.ts);
-- users can also call create_team and update the name through the Data API directly.
-- Teams named before this rule are tidied first (a name that was nothing but whitespace
-- becomes "Team").
update public.organisations
set name = coalesce(nullif(btrim(regexp_replace(name, '[\x01-\x1f\x7f-\x9f]+', ' ', 'g')), ''), 'Team')
where not personal and (name <> btrim(name) or name ~ '[\x01-\x1f\x7f-\x9f]');

alter table public.organisations
  add constraint organisations_team_name_format
    check (personal or (name = btrim(name) and name !~ '[\x01-\x1f\x7f-\x9f]'));

-- Role helpers -----------------------------------------------------------------------
-- Security definer for the same reason as is_org_member: policies consult memberships
-- without recursing into the memberships policy.

-- The caller's role in an organisation, or null when they aren't a member.
create function public.org_role(target_org uuid)
returns public.membership_role
language sql
stable
security definer
set search_path = ''
as $$
  select m.role from public.memberships m
  where m.org_id = target_org and m.user_id = (select auth.uid());
$$;

-- Whether the caller may manage a member, or an invitation, with `target_role`: owners
-- manage everyone; admins manage everyone but owners.
create function public.can_manage_role(target_org uuid, target_role public.membership_role)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(
    (select m.role = 'owner' or (m.role = 'admin' and target_role <> 'owner')
     from public.memberships m
     where m.org_id = target_org and m.user_id = (select auth.uid())),
    false);
$$;

revoke all on function public.org_role(uuid) from public, anon, authenticated, service_role;
revoke all on function public.can_manage_role(uuid, public.membership_role) from public, anon, authenticated, service_role;
grant execute on function public.org_role(uuid) to authenticated;
grant execute on function public.can_manage_role(uuid, public.membership_role) to authenticated;

-- Organisations: rename and delete ------------------------------------------------------

create policy "Owners and admins rename their team"
  on public.organisations for update to authenticated
  using (not personal and public.org_role(id) in ('owner', 'admin'))
  with check (not personal and public.org_role(id) in ('owner', 'admin'));

create policy "Owners delete their team"
  on public.organisations for delete to authenticated
  using (not personal and public.org_role(id) = 'owner');

grant update (name, slug) on public.organisations to authenticated;
grant delete on public.organisations to authenticated;

-- Its jobs, reports and rate limits go with a deleted team (their foreign keys cascade);
-- the audit log, which has no foreign keys, keeps a record of who deleted what.
create function public.audit_team_deletion()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
begin
  if old.personal then
    return old;
  end if;
  insert into public.audit_log (actor_id, actor_email, action, org_id, org_name, details)
  values (
    actor,
    coalesce((select p.email from public.profiles p where p.id = actor), 'system'),
    'team.deleted',
    old.id,
    old.name,
    jsonb_build_object(
      'slug', old.slug,
      'members', (select count(*) from public.memberships m where m.org_id = old.id),
      'jobs', (select count(*) from public.jobs j where j.org_id = old.id)
    )
  );
  return old;
end;
$$;

revoke all on function public.audit_team_deletion() from public, anon, authenticated, service_role;

create trigger organisations_audit_team_deletion
  before delete on public.organisations
  for each row execute function public.audit_team_deletion();

-- Creating a team makes its creator the owner in the same transaction, so no team is
-- ever without one; it also becomes the creator's current organisation.
create function public.create_team(p_name text, p_slug text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  team_id uuid;
begin
  if caller is null or not exists (select 1 from public.profiles p where p.id = caller) then
    raise exception 'sign in to create a team' using errcode = 'insufficient_privilege', hint = 'not_signed_in';
  end if;
  -- Users call this through the Data API too, so the cap is here: a team is an invitation
  -- allowance and a rate limit of its own, and one account making teams without end would
  -- multiply both.
  if (select count(*) from public.memberships m join public.organisations o on o.id = m.org_id
      where m.user_id = caller and m.role = 'owner' and not o.personal) >= 20 then
    raise exception 'an account owns at most 20 teams' using errcode = 'check_violation', hint = 'team_limit';
  end if;
  insert into public.organisations (name, slug, personal) values (p_name, p_slug, false) returning id into team_id;
  insert into public.memberships (org_id, user_id, role) values (team_id, caller, 'owner');
  insert into public.current_organisations (user_id, org_id) values (caller, team_id)
  on conflict (user_id) do update set org_id = excluded.org_id;
  return team_id;
end;
$$;

revoke all on function public.create_team(text, text) from public, anon, authenticated, service_role;
grant execute on function public.create_team(text, text) to authenticated;

-- Memberships: roles, removal, leaving ------------------------------------------------------

create policy "Owners and admins change the roles they may manage"
  on public.memberships for update to authenticated
  using (public.can_manage_role(org_id, role))
  with check (public.can_manage_role(org_id, role));

create policy "Members leave; owners and admins remove those they may manage"
  on public.memberships for delete to authenticated
  using (user_id = (select auth.uid()) or public.can_manage_role(org_id, role));

grant update (role) on public.memberships to authenticated;
grant delete on public.memberships to authenticated;

-- A personal workspace has one member, its owner, from sign-up to the account's deletion.
create function public.guard_personal_membership()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.organisations o where o.id = new.org_id and o.personal)
     and exists (select 1 from public.memberships m where m.org_id = new.org_id) then
    raise exception 'a personal workspace has no other members'
      using errcode = 'check_violation', hint = 'personal_workspace';
  end if;
  return new;
end;
$$;

revoke all on function public.guard_personal_membership() from public, anon, authenticated, service_role;

create trigger memberships_guard_personal
  before insert on public.memberships
  for each row execute function public.guard_personal_membership();

-- An organisation always has an owner, and a personal workspace its one owner (refused as
-- personal_workspace: it can't be left or handed down at all). Skipped when the
-- organisation itself is going (its memberships cascade). The organisation's row is locked
-- first, so two owners removing each other at once can't both succeed.
--
-- When the last owner's membership goes because their user is being deleted (the Auth
-- admin API, the dashboard), the team is handed on instead: to its longest-standing admin,
-- else member, among users who aren't being deleted too; with nobody left, the team goes.
-- Here, under the lock, rather than before the user's deletion, so that co-owners deleted
-- in one statement or in concurrent ones each see the others already gone. (Their
-- personal workspace goes first: delete_personal_organisations, in the foundation.)
create function public.keep_an_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  is_personal boolean;
  successor uuid;
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return null;
  end if;
  select o.personal into is_personal from public.organisations o where o.id = old.org_id for update;
  if not found then
    return null;
  end if;
  if is_personal then
    raise exception 'a personal workspace keeps its owner'
      using errcode = 'check_violation', hint = 'personal_workspace';
  end if;
  if exists (
    select 1 from public.memberships m
    where m.org_id = old.org_id and m.role = 'owner' and m.user_id <> old.user_id
  ) then
    return null;
  end if;
  if tg_op = 'UPDATE' or exists (select 1 from auth.users u where u.id = old.user_id) then
    raise exception 'an organisation needs at least one owner'
      using errcode = 'check_violation', hint = 'last_owner';
  end if;
  select m.user_id into successor
  from public.memberships m
  join auth.users u on u.id = m.user_id
  where m.org_id = old.org_id and m.user_id <> old.user_id
  order by (m.role = 'admin') desc, m.created_at, m.user_id
  limit 1;
  if successor is null then
    delete from public.organisations where id = old.org_id;
  else
    update public.memberships set role = 'owner' where org_id = old.org_id and user_id = successor;
  end if;
  return null;
end;
$$;

revoke all on function public.keep_an_owner() from public, anon, authenticated, service_role;

create trigger memberships_keep_an_owner
  after update of role or delete on public.memberships
  for each row execute function public.keep_an_owner();

-- The current organisation -------------------------------------------------------------
-- Per user, in the database, so it follows them across devices; a table of its own, not a
-- profile column, because teammates read each other's profiles and this is nobody else's
-- business (nor are the ids of teams they don't share). No row means the first
-- organisation they joined (their personal workspace); viewer_context resolves it.
-- The foreign key to the membership is the rule: only an organisation the user is in, and
-- leaving it (or its deletion) removes the choice.

create table public.current_organisations (
  user_id uuid primary key references auth.users (id) on delete cascade,
  org_id uuid not null,
  updated_at timestamptz not null default now(),
  constraint current_organisations_membership_fkey
    foreign key (org_id, user_id) references public.memberships (org_id, user_id) on delete cascade
);

create trigger current_organisations_set_updated_at
  before update on public.current_organisations
  for each row execute function public.set_updated_at();

alter table public.current_organisations enable row level security;

create policy "Users read their own current organisation"
  on public.current_organisations for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Users choose their own current organisation"
  on public.current_organisations for insert to authenticated
  with check (user_id = (select auth.uid()));

create policy "Users change their own current organisation"
  on public.current_organisations for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Users clear their own current organisation"
  on public.current_organisations for delete to authenticated
  using (user_id = (select auth.uid()));

revoke all on public.current_organisations from anon, authenticated, service_role;
grant select, delete on public.current_organisations to authenticated;
-- An upsert (insert … on conflict (user_id) do update) sets both columns.
grant insert (user_id, org_id), update (user_id, org_id) on public.current_organisations to authenticated;
grant select, insert, update, delete on public.current_organisations to service_role;

-- Invitations ---------------------------------------------------------------------------------
-- The link's token is never stored: the app derives it from the invitation's id and
-- `token_nonce` with a server secret (lib/teams/invitation-token.ts), here is only its
-- SHA-256. Re-inviting sets a new nonce and hash, so the old link stops working.

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  email text not null check (char_length(email) between 3 and 320 and email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$'),
  role public.membership_role not null default 'member',
  invited_by uuid default auth.uid() references auth.users (id) on delete set null,
  token_nonce uuid not null,
  token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint invitations_token_hash_key unique (token_hash),
  -- Accepted by someone (accepted_by), who may since have been deleted (then null).
  constraint invitations_accepted check (accepted_by is null or accepted_at is not null)
);

-- One pending invitation per address and team: inviting again replaces its token.
create unique index invitations_pending_email_key on public.invitations (org_id, email) where accepted_at is null;
create index invitations_org_id_idx on public.invitations (org_id, created_at desc);

create trigger invitations_set_updated_at
  before update on public.invitations
  for each row execute function public.set_updated_at();

-- An accepted invitation is history, an invitation keeps its team and address, and the
-- database owns its expiry.
create function public.guard_invitation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  expiry timestamptz;
begin
  -- A deleted user's id cleared by the foreign keys (on delete set null), nothing else:
  -- history keeps, and deleting the user must not fail on it.
  if tg_op = 'UPDATE'
     and ((old.invited_by is not null and new.invited_by is null) or (old.accepted_by is not null and new.accepted_by is null))
     and (new.invited_by is null or new.invited_by = old.invited_by)
     and (new.accepted_by is null or new.accepted_by = old.accepted_by)
     and (to_jsonb(new) - 'invited_by' - 'accepted_by') = (to_jsonb(old) - 'invited_by' - 'accepted_by') then
    return new;
  end if;
  if tg_op = 'UPDATE' and old.accepted_at is not null then
    raise exception 'this invitation was already accepted' using errcode = 'check_violation', hint = 'invitation_used';
  end if;
  if tg_op = 'UPDATE' and (new.org_id <> old.org_id or new.email <> old.email) then
    raise exception 'an invitation keeps its team and address' using errcode = 'check_violation', hint = 'invitation_fixed';
  end if;
  -- A link lives 7 days from when its token was made: only a new token (re-inviting)
  -- renews it, whatever expiry a user sends. The server (no signed-in user) may end one
  -- sooner, never later.
  if tg_op = 'INSERT' or new.token_hash <> old.token_hash then
    expiry := now() + interval '7 days';
  else
    expiry := old.expires_at;
  end if;
  if (select auth.uid()) is null then
    new.expires_at := least(new.expires_at, expiry);
  else
    new.expires_at := expiry;
  end if;
  return new;
end;
$$;

revoke all on function public.guard_invitation() from public, anon, authenticated, service_role;

create trigger invitations_guard
  before insert or update on public.invitations
  for each row execute function public.guard_invitation();

-- Only into a team, never for someone already in it. After the row is written, so after
-- row-level security's check: a caller who may not invite into the team is refused by the
-- policy first and learns nothing (not whether an address belongs to one of its members,
-- nor whether an id is someone's personal workspace). A BEFORE trigger would answer first.
create function public.check_invitation_target()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.organisations o where o.id = new.org_id and o.personal) then
    raise exception 'a personal workspace takes no invitations' using errcode = 'check_violation', hint = 'personal_workspace';
  end if;
  if new.accepted_at is null and exists (
    select 1 from public.memberships m join public.profiles p on p.id = m.user_id
    where m.org_id = new.org_id and lower(p.email) = new.email
  ) then
    raise exception '% is already a member', new.email using errcode = 'unique_violation', hint = 'already_member';
  end if;
  return null;
end;
$$;

revoke all on function public.check_invitation_target() from public, anon, authenticated, service_role;

-- Not on the foreign keys' clearing of invited_by or accepted_by: only inviting and re-inviting.
create trigger invitations_check_target
  after insert or update of role, token_nonce, token_hash on public.invitations
  for each row execute function public.check_invitation_target();

alter table public.invitations enable row level security;

create policy "Owners and admins read their team's invitations"
  on public.invitations for select to authenticated
  using (public.org_role(org_id) in ('owner', 'admin'));

create policy "Owners and admins invite with the roles they may manage"
  on public.invitations for insert to authenticated
  with check (public.can_manage_role(org_id, role) and invited_by = (select auth.uid()) and accepted_at is null);

create policy "Owners and admins re-send invitations they may manage"
  on public.invitations for update to authenticated
  using (public.can_manage_role(org_id, role))
  with check (public.can_manage_role(org_id, role));

create policy "Owners and admins revoke invitations they may manage"
  on public.invitations for delete to authenticated
  using (public.can_manage_role(org_id, role));

revoke all on public.invitations from anon, authenticated, service_role;
-- Not the token's nonce and hash: what the link is made from stays with the server, even
-- for the team's owners.
grant select (id, org_id, email, role, invited_by, expires_at, accepted_at, accepted_by, created_at, updated_at)
  on public.invitations to authenticated;
-- The id too: the app chooses it, because the link's token is derived from it and only the
-- token's hash is stored, so both must be known before the row is written.
grant insert (id, org_id, email, role, token_nonce, token_hash) on public.invitations to authenticated;
-- Re-inviting: a new token (which renews the expiry: guard_invitation), perhaps another role.
grant update (role, token_nonce, token_hash) on public.invitations to authenticated;
grant delete on public.invitations to authenticated;
grant select, insert, update, delete on public.invitations to service_role;

-- Accepting: the caller proves the link (its token's hash), and must be signed in with the
-- (confirmed) address it was sent to. Joins with the invitation's role, marks it used, and makes the
-- team their current organisation. Accepting one's own, already accepted invitation again
-- (a second click) answers the team without changing anything, while they are still in it.
create function public.accept_invitation(p_token text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  caller_email text;
  invitation public.invitations;
begin
  select lower(p.email) into caller_email from public.profiles p where p.id = caller;
  if caller is null or caller_email is null then
    raise exception 'sign in to accept an invitation' using errcode = 'insufficient_privilege', hint = 'not_signed_in';
  end if;
  -- The address is the proof of the invitation: it must be one the user has shown they
  -- receive mail at, whatever the project's confirmation setting or the sign-in provider.
  if not exists (select 1 from auth.users u where u.id = caller and u.email_confirmed_at is not null) then
    raise exception 'confirm your email address to accept an invitation' using errcode = 'insufficient_privilege', hint = 'email_unconfirmed';
  end if;

  select * into invitation from public.invitations i
  where i.token_hash = encode(sha256(convert_to(coalesce(p_token, ''), 'UTF8')), 'hex')
  for update;
  if not found then
    -- Not no_data_found (P0002): the Data API answers every P0 code but P0001 with a 500.
    raise exception 'no such invitation' using errcode = 'invalid_parameter_value', hint = 'invitation_not_found';
  end if;
  if invitation.accepted_at is not null then
    -- Only while they are still in the team: someone since removed can't use it to come back.
    if invitation.accepted_by = caller
       and exists (select 1 from public.memberships m where m.org_id = invitation.org_id and m.user_id = caller) then
      return invitation.org_id;
    end if;
    raise exception 'this invitation was already used' using errcode = 'check_violation', hint = 'invitation_used';
  end if;
  if invitation.expires_at <= now() then
    raise exception 'this invitation has expired' using errcode = 'check_violation', hint = 'invitation_expired';
  end if;
  if invitation.email <> caller_email then
    raise exception 'this invitation is for another address' using errcode = 'insufficient_privilege', hint = 'invitation_email_mismatch';
  end if;

  insert into public.memberships (org_id, user_id, role) values (invitation.org_id, caller, invitation.role)
  on conflict (org_id, user_id) do nothing;
  update public.invitations set accepted_at = now(), accepted_by = caller where id = invitation.id;
  insert into public.current_organisations (user_id, org_id) values (caller, invitation.org_id)
  on conflict (user_id) do update set org_id = excluded.org_id;
  return invitation.org_id;
end;
$$;

revoke all on function public.accept_invitation(text) from public, anon, authenticated, service_role;
grant execute on function public.accept_invitation(text) to authenticated;

-- Who the caller is, now with the organisation they chose ------------------------------------
-- As before (20261202000000_viewer_context.sql), plus `slug` on organisations and
-- `memberships`, every organisation the caller belongs to (for the switcher): their
-- personal workspace first, then teams by name. `membership` is the current one: their
-- current_organisations row, or their first membership when they have none.

create or replace function public.viewer_context()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  with mine as (
    select m.role, m.created_at, o.id, o.name, o.slug, o.personal, o.plan
    from public.memberships m
    join public.organisations o on o.id = m.org_id
    where m.user_id = (select auth.uid())
  ), chosen as (
    select c.org_id from public.current_organisations c where c.user_id = (select auth.uid())
  )
  select jsonb_build_object(
    'user_id', p.id,
    'email', p.email,
    'display_name', p.display_name,
    'time_zone', p.time_zone,
    'pending_email', public.own_pending_email(),
    'membership', (
      select jsonb_build_object(
        'role', mine.role,
        'organisation', jsonb_build_object('id', mine.id, 'name', mine.name, 'slug', mine.slug, 'personal', mine.personal, 'plan', mine.plan)
      )
      from mine
      order by (mine.id = (select chosen.org_id from chosen)) desc nulls last, mine.created_at, mine.id
      limit 1
    ),
    'memberships', coalesce((
      select jsonb_agg(
        jsonb_build_object(
          'role', mine.role,
          'organisation', jsonb_build_object('id', mine.id, 'name', mine.name, 'slug', mine.slug, 'personal', mine.personal, 'plan', mine.plan)
        )
        order by mine.personal desc, lower(mine.name), mine.id
      )
      from mine
    ), '[]'::jsonb),
    'platform_admin', exists (select 1 from public.platform_admins a where a.user_id = p.id),
    'admin_org_ids', coalesce((
      select jsonb_agg(mine.id order by mine.created_at, mine.id)
      from mine
      where mine.role in ('owner', 'admin') and not mine.personal
    ), '[]'::jsonb)
  )
  from public.profiles p
  where p.id = (select auth.uid());
$$;

-- The organisation a user acts in, for the server (service role), which has no session:
-- the same choice viewer_context makes for the caller. Everything that works "in the
-- user's organisation" on the server asks this: the welcome email's job, reports
-- (enqueue_report) and the daily digest (digest_recipients_due), below.
create function public.acting_org_id(p_user_id uuid)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.org_id
  from public.memberships m
  left join public.current_organisations c on c.user_id = m.user_id
  where m.user_id = p_user_id
  order by (m.org_id = c.org_id) desc nulls last, m.created_at, m.org_id
  limit 1;
$$;

revoke all on function public.acting_org_id(uuid) from public, anon, authenticated, service_role;
grant execute on function public.acting_org_id(uuid) to service_role;

create function public.current_membership(p_user_id uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'role', m.role,
    'organisation', jsonb_build_object('id', o.id, 'name', o.name, 'slug', o.slug, 'personal', o.personal, 'plan', o.plan)
  )
  from public.memberships m
  join public.organisations o on o.id = m.org_id
  where m.user_id = p_user_id and m.org_id = public.acting_org_id(p_user_id);
$$;

revoke all on function public.current_membership(uuid) from public, anon, authenticated, service_role;
grant execute on function public.current_membership(uuid) to service_role;

-- Reports are asked for in the current organisation: enqueue_report as in
-- 20261202010000_enqueue_report.sql, but for acting_org_id (it took the first membership).
-- Its privileges stay as they were.
create or replace function public.enqueue_report(
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

  select o.id, o.plan, p.time_zone
    into org, org_plan, asker_zone
    from public.profiles p
    join public.organisations o on o.id = public.acting_org_id(p.id)
   where p.id = p_user_id;
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

-- The daily digest summarises the organisation the user acts in (it took the first
-- membership), as in 20261123030000_daily_digest.sql otherwise.
create or replace function public.digest_recipients_due(p_limit integer, p_now timestamptz, p_after uuid default null)
returns table (user_id uuid, org_id uuid, email text, local_date date)
language sql
stable
security definer
set search_path = ''
as $$
  select p.id, o.org_id, p.email, (p_now at time zone p.time_zone)::date
  from public.profiles p
  cross join lateral (select public.acting_org_id(p.id) as org_id) o
  where p.digest_opt_in
    and o.org_id is not null
    and (p_after is null or p.id > p_after)
    and (p_now at time zone p.time_zone)::time >= time '08:00'
    and (p.last_digest_on is null or p.last_digest_on < (p_now at time zone p.time_zone)::date)
  order by p.id
  limit p_limit;
$$;
