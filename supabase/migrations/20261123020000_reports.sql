-- Reports: activity data to report on, the report a job produces, and its CSV.
--
-- The CSV lives in Postgres, in chunks written by the step that produced them, rather
-- than in Supabase Storage: each step writes its part in one statement, the download
-- streams the parts in order, the same code runs locally and in production, and cleanup
-- of a job removes its file by cascade. Move to Storage when files outgrow the database.
--
-- A report's range is days in the time zone of the user who asked (their profile's, as
-- Settings says dates are), not UTC days: a Berlin user's "Nov 2" starts at 00:00 in
-- Berlin. The zone is recorded on the report, so a retried step reads the same days.
--
-- A summary's CSV has one row per day and type; the activities it summarises are another
-- number. `row_count` is the file's rows for both kinds, and `activity_count` the
-- activities read.

-- Activity ---------------------------------------------------------------------

create table public.activities (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.organisations (id) on delete cascade,
  type text not null check (type ~ '^[a-z][a-z_]{0,31}$'),
  actor text not null check (char_length(actor) between 1 and 200),
  amount numeric(12, 2) not null default 0,
  occurred_at timestamptz not null default now()
);

create index activities_org_id_occurred_at_idx on public.activities (org_id, occurred_at, id);

alter table public.activities enable row level security;

create policy "Members read their organisations' activity"
  on public.activities for select to authenticated
  using (public.is_org_member(org_id));

revoke all on public.activities from anon, authenticated, service_role;
grant select on public.activities to authenticated;
grant select, insert, update, delete on public.activities to service_role;

-- Reports ----------------------------------------------------------------------

create type public.report_kind as enum ('activity', 'summary');

create table public.reports (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  org_id uuid not null references public.organisations (id) on delete cascade,
  kind public.report_kind not null,
  range_from date not null,
  range_to date not null check (range_to >= range_from),
  row_count bigint not null default 0,
  total_amount numeric(16, 2) not null default 0,
  created_at timestamptz not null default now(),
  -- The asker's time zone when they asked: the range's days are its local days.
  time_zone text not null default 'UTC' check (char_length(time_zone) between 1 and 64),
  activity_count bigint not null default 0
);

create table public.report_chunks (
  job_id uuid not null references public.reports (job_id) on delete cascade,
  seq integer not null check (seq >= 0),
  org_id uuid not null references public.organisations (id) on delete cascade,
  row_count integer not null,
  total_amount numeric(16, 2) not null,
  content text not null,
  activity_count integer not null default 0,
  primary key (job_id, seq)
);

-- A zone Postgres doesn't know would fail every step; refuse it when the report is made.
create trigger reports_validate_time_zone
  before insert or update of time_zone on public.reports
  for each row execute function public.validate_time_zone();

alter table public.reports enable row level security;
alter table public.report_chunks enable row level security;

create policy "Members read their organisations' reports"
  on public.reports for select to authenticated
  using (public.is_org_member(org_id));

create policy "Members read their organisations' report files"
  on public.report_chunks for select to authenticated
  using (public.is_org_member(org_id));

revoke all on public.reports, public.report_chunks from anon, authenticated, service_role;
grant select on public.reports, public.report_chunks to authenticated;
grant select, insert, update, delete on public.reports, public.report_chunks to service_role;

-- A report's text cells, safe to open in a spreadsheet (OWASP "CSV Injection"): a cell
-- that begins with =, +, -, @, a tab or a carriage return is read by Excel, LibreOffice
-- and Google Sheets as a formula, so it gets a leading single quote, which they show as
-- text. A cell with a comma, a double quote or a line break is then quoted (RFC 4180).
-- Only text goes through it: numbers are written as numbers, so an amount of -5 stays -5.
-- Plain SQL without SET or FROM, so the planner inlines it into the row expression; in
-- `private`, which no API role can reach. `type` goes through it as well as the free-text
-- `actor`: it is constrained to lower-case words today, and a looser constraint later
-- mustn't open the hole.
create function private.csv_text(value text)
returns text
language sql
immutable
parallel safe
as $$
  select case
    when value ~ '[",\n\r]'
      then '"' || case when value ~ '^[=+@\t\r-]' then '''' else '' end || replace(value, '"', '""') || '"'
    when value ~ '^[=+@\t\r-]' then '''' || value
    else value
  end
$$;

revoke all on function private.csv_text(text) from public, anon, authenticated, service_role;

-- Writing one part of a report --------------------------------------------------
-- Reads one window of the report's local days and writes its CSV lines as one chunk, in
-- one statement, so rows never travel through the app or through step outputs.
-- Idempotent: a retried step rewrites its own chunk. Returns the chunk's row count,
-- activity count and amount total. `set timezone` scopes the zone to this call: inside,
-- timestamps print in the report's zone with their offset, and dates are its local dates.

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
        to_char(a.occurred_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM') || ',' || private.csv_text(a.type) || ',' ||
        private.csv_text(a.actor) || ',' || a.amount::text || E'\n',
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
      coalesce(string_agg(s.day || ',' || private.csv_text(s.type) || ',' || s.n || ',' || s.total::text || E'\n', ''
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
