-- Who the caller is, in one round trip: every page render and API request needs the
-- caller's profile, the organisation they act in (with its plan) and what they may
-- administer. Read as three or four Data API calls that is three or four trips to the
-- database per request; this function answers all of it in one.
--
-- Security invoker: it reads with the caller's own row-level security (auth.uid() from
-- their access token), so it can show nothing the caller couldn't read table by table.
-- The one exception is the pending email change, which lives in auth.users (not exposed
-- to the API roles) and is read by a definer function limited to the caller's own row.

-- The address an email change is waiting to be confirmed for, as Supabase Auth reports it
-- (`new_email` on the user): the caller's own, or null.
create function public.own_pending_email()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select nullif(u.email_change, '') from auth.users u where u.id = (select auth.uid());
$$;

revoke all on function public.own_pending_email() from public, anon, authenticated, service_role;
grant execute on function public.own_pending_email() to authenticated;

-- Null when the caller has no profile: signed out (no auth.uid()), or a user deleted while
-- their access token is still unexpired. Otherwise:
--   { user_id, email, display_name, time_zone, pending_email,
--     membership: { role, organisation: { id, name, personal, plan } },
--     platform_admin, admin_org_ids }
-- `membership` is the organisation the caller acts in: until an organisation switcher
-- exists, their first membership (the personal organisation made at sign-up).
-- `admin_org_ids` are the team organisations they own or administer; personal ones don't
-- count (the console is for people who run things for others).
create function public.viewer_context()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'user_id', p.id,
    'email', p.email,
    'display_name', p.display_name,
    'time_zone', p.time_zone,
    'pending_email', public.own_pending_email(),
    'membership', (
      select jsonb_build_object(
        'role', m.role,
        'organisation', jsonb_build_object('id', o.id, 'name', o.name, 'personal', o.personal, 'plan', o.plan)
      )
      from public.memberships m
      join public.organisations o on o.id = m.org_id
      where m.user_id = p.id
      order by m.created_at, m.org_id
      limit 1
    ),
    'platform_admin', exists (select 1 from public.platform_admins a where a.user_id = p.id),
    'admin_org_ids', coalesce((
      select jsonb_agg(m.org_id order by m.created_at, m.org_id)
      from public.memberships m
      join public.organisations o on o.id = m.org_id
      where m.user_id = p.id and m.role in ('owner', 'admin') and not o.personal
    ), '[]'::jsonb)
  )
  from public.profiles p
  where p.id = (select auth.uid());
$$;

revoke all on function public.viewer_context() from public, anon, authenticated, service_role;
grant execute on function public.viewer_context() to authenticated;
