-- Reports read the asker's local days, and count rows and activities apart.
--
-- A report's range is days in the time zone of the user who asked (their profile's, as
-- Settings says dates are), not UTC days: a Berlin user's "Nov 2" starts at 00:00 in
-- Berlin. The zone is recorded on the report, so a retried step reads the same days.
--
-- A summary's CSV has one row per day and type; the activities it summarises are another
-- number. `row_count` is now the file's rows for both kinds, and `activity_count` the
-- activities read.

alter table public.reports
  add column time_zone text not null default 'UTC' check (char_length(time_zone) between 1 and 64),
  add column activity_count bigint not null default 0;

alter table public.report_chunks add column activity_count integer not null default 0;

-- Existing reports: row_count held the activities; a chunk's rows are its lines.
update public.report_chunks
  set activity_count = row_count,
      row_count = length(content) - length(replace(content, E'\n', ''))
  where activity_count = 0;
update public.reports r
  set activity_count = r.row_count,
      row_count = coalesce((select sum(c.row_count) from public.report_chunks c where c.job_id = r.job_id), 0)
  where r.activity_count = 0;

-- A zone Postgres doesn't know would fail every step; refuse it when the report is made.
create function public.validate_report_time_zone()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform now() at time zone new.time_zone;
  return new;
exception when invalid_parameter_value then
  raise exception 'unknown time zone: %', new.time_zone using errcode = 'check_violation';
end;
$$;

revoke all on function public.validate_report_time_zone() from public, anon, authenticated, service_role;

create trigger reports_validate_time_zone
  before insert or update of time_zone on public.reports
  for each row execute function public.validate_report_time_zone();

-- Same signature, new result: the returned table gains activity_count, so drop and create.
drop function public.write_report_chunk(uuid, integer, date, date);

-- Reads one window of the report's local days and writes its CSV lines as one chunk, in
-- one statement. `set timezone` scopes the zone to this call: inside, timestamps print
-- in the report's zone with their offset, and dates are its local dates.
create function public.write_report_chunk(
  p_job_id uuid,
  p_seq integer,
  p_window_from date,
  p_window_to date
)
returns table (row_count integer, activity_count integer, total_amount numeric)
language plpgsql
security definer
set search_path = ''
set timezone = 'UTC'
as $$
declare
  report public.reports;
  starts_at timestamptz;
  ends_at timestamptz;
  lines text;
  n_rows integer;
  n_activities integer;
  total numeric;
begin
  select * into report from public.reports where job_id = p_job_id;
  if not found then
    raise exception 'no report for job %', p_job_id using errcode = 'no_data_found';
  end if;

  perform set_config('timezone', report.time_zone, true);
  -- Local midnights, as instants: the index on occurred_at still applies.
  starts_at := p_window_from::timestamp;
  ends_at := (p_window_to + 1)::timestamp;

  if report.kind = 'activity' then
    select
      coalesce(string_agg(
        to_char(a.occurred_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') || ',' || a.type || ',' ||
        case when a.actor ~ '[",\n\r]' then '"' || replace(a.actor, '"', '""') || '"' else a.actor end ||
        ',' || a.amount::text || E'\n',
        '' order by a.occurred_at, a.id), ''),
      count(*),
      count(*),
      coalesce(sum(a.amount), 0)
    into lines, n_rows, n_activities, total
    from public.activities a
    where a.org_id = report.org_id
      and a.occurred_at >= starts_at
      and a.occurred_at < ends_at;
  else
    select
      coalesce(string_agg(s.day || ',' || s.type || ',' || s.n || ',' || s.total::text || E'\n', ''
        order by s.day, s.type), ''),
      count(*),
      coalesce(sum(s.n), 0),
      coalesce(sum(s.total), 0)
    into lines, n_rows, n_activities, total
    from (
      select to_char(a.occurred_at, 'YYYY-MM-DD') as day, a.type, count(*) as n, sum(a.amount) as total
      from public.activities a
      where a.org_id = report.org_id
        and a.occurred_at >= starts_at
        and a.occurred_at < ends_at
      group by 1, 2
    ) s;
  end if;

  insert into public.report_chunks (job_id, seq, org_id, row_count, activity_count, total_amount, content)
  values (p_job_id, p_seq, report.org_id, n_rows, n_activities, total, lines)
  on conflict (job_id, seq) do update
    set row_count = excluded.row_count,
        activity_count = excluded.activity_count,
        total_amount = excluded.total_amount,
        content = excluded.content;

  return query select n_rows, n_activities, total;
end;
$$;

revoke all on function public.write_report_chunk(uuid, integer, date, date) from public, anon, authenticated, service_role;
grant execute on function public.write_report_chunk(uuid, integer, date, date) to service_role;
