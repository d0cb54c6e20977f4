-- Replays: a failed job is replayed at most once, and the original remembers that it was.
--
-- The replay is a new job pointing back at the original (`replay_of`, 20261124000000).
-- The original gets `replayed_at`, so "dead letters still waiting for a replay" is one
-- indexed filter rather than an anti-join, and it stays true after the cleanup cron has
-- deleted the (completed) replay, which it does 60 days before the (failed) original.

alter table public.jobs add column replayed_at timestamptz;

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
    raise exception 'job % is not a failed job awaiting replay', new.replay_of
      using errcode = 'check_violation';
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

-- Dead letters are paged by `seq`: newest first in the list, oldest first for a bulk
-- replay (a btree reads both ways).
create index jobs_failed_seq_idx on public.jobs (seq) where status = 'failed';
