-- profiles and reports each had a copy of the same time-zone check. One trigger function
-- now serves every table with a `time_zone` column; behaviour is unchanged.

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

revoke all on function public.validate_time_zone() from public, anon, authenticated, service_role;

drop trigger profiles_validate_time_zone on public.profiles;
create trigger profiles_validate_time_zone
  before insert or update of time_zone on public.profiles
  for each row execute function public.validate_time_zone();

drop trigger reports_validate_time_zone on public.reports;
create trigger reports_validate_time_zone
  before insert or update of time_zone on public.reports
  for each row execute function public.validate_time_zone();

drop function public.validate_profile_time_zone();
drop function public.validate_report_time_zone();
