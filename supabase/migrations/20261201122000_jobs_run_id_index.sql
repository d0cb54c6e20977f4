-- A run cancelled outside the app (the Inngest dashboard or REST API) is matched to its
-- job by run id (inngest/functions/end-cancelled-jobs.ts); without an index that is a
-- scan of every job. Partial: jobs that never started have no run id.
create index jobs_inngest_run_id_idx on public.jobs (inngest_run_id) where inngest_run_id is not null;
