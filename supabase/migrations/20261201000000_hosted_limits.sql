-- Work sized to a hosted project's limits: its API gateway refuses request URLs over about
-- 8 KB, and statements made with the secret key stop after 8 s (the authenticator's
-- statement_timeout).

-- Cleanup deletes a batch of expired jobs in one statement. Selecting the ids and then
-- deleting `id in (…)` put 500 UUIDs (18 KB) in one URL, which the gateway refuses. A job's
-- report and its file go with it (foreign keys cascade). `skip locked` lets a job being
-- written right now wait for the next night.
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

-- Demo data: inserting a few hundred thousand rows in one call can take longer than 8 s on
-- a small instance. A function's own statement_timeout is what the Data API applies to its
-- RPC (npm run db:activity also calls it in batches).
alter function public.generate_activity(uuid, integer, timestamptz, timestamptz) set statement_timeout = '60s';
