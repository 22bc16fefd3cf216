/*
 * ops-cron-history-pruned: pg_cron's run history is kept for a day, not forever.
 *
 * pg_cron writes a row to job_run_details for every run and never deletes one; our per-second
 * flusher alone adds 86,400 rows a day (issue 19; Supabase's pg_cron guide recommends a
 * scheduled delete). private.prune_cron_history() deletes runs that ended more than
 * cron_history_days ago, in batches, and is itself declared in private.schedule (hourly). A
 * no-op where pg_cron is not installed (locally).
 */

insert into private.settings (key, value, description) values
  ('cron_history_days', '1', 'Days of pg_cron run history (job_run_details) kept.'),
  ('cron_history_batch', '50000', 'Run-history rows deleted per batch (each batch is one short statement).');

create function private.prune_cron_history_in(p_schema name) returns bigint
language plpgsql volatile
set search_path = ''
as $$
declare
  v_batch bigint;
  v_total bigint := 0;
begin
  -- Batches keep each delete short: the flusher writes to the same table every second.
  loop
    execute format($sql$
      delete from %1$I.job_run_details as d where d.runid in (
        select r.runid from %1$I.job_run_details as r where r.end_time < now() - make_interval(days => $1) limit $2
      )
    $sql$, p_schema)
    using (hidden.setting('cron_history_days'))::integer, (hidden.setting('cron_history_batch'))::integer;
    get diagnostics v_batch = row_count;
    v_total := v_total + v_batch;
    exit when v_batch < (hidden.setting('cron_history_batch'))::integer;
  end loop;
  return v_total;
end
$$;
comment on function private.prune_cron_history_in(name) is
  'Delete pg_cron runs (job_run_details in p_schema) that ended more than cron_history_days ago; returns how many.';

create function private.prune_cron_history() returns bigint
language plpgsql volatile
set search_path = ''
as $$
declare
  v_cron name := (
    select e.extnamespace::regnamespace::name from pg_catalog.pg_extension as e where e.extname = 'pg_cron'
  );
begin
  if v_cron is null then
    return 0;
  end if;
  return private.prune_cron_history_in(v_cron);
end
$$;
comment on function private.prune_cron_history() is
  'Prune pg_cron''s run history to cron_history_days (a no-op without pg_cron); returns the rows deleted.';

insert into private.schedule (name, statement, every, description) values
  ('prune_cron_history', 'select private.prune_cron_history()', interval '1 hour',
    'Deletes pg_cron run history past cron_history_days. Without it job_run_details grows ~100,000 rows a day.');

select private.sync_cron();
