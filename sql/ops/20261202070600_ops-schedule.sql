/*
 * ops-schedule: one list of the recurring work the database needs, run by pg_cron inside the
 * database where it exists (hosted Supabase) and by the service otherwise, from this declaration.
 *
 * Realtime is the product: its flusher (ticks, frames, budgets, delivery modes), the presence
 * refresh (listener counts, which decide each room's mode) and the log's pruning must go on while
 * the service is down or redeploying. Each row is one statement and how often it runs.
 * private.sync_cron() makes pg_cron's jobs match the rows (jobs named whatssound-<name>; jobs of
 * that prefix no longer declared are unscheduled); the service reads the same rows and runs them
 * too, which is safe: every declared statement is idempotent and takes its rows with SKIP LOCKED
 * or an advisory lock. Locally (no pg_cron) the service is the only runner. Until now the
 * presence refresh ran only in the service: with it down, counts froze and rooms kept their mode.
 */

-- tables ---------------------------------------------------------------------------------------

create table private.schedule (
  name text primary key check (name ~ '^[a-z][a-z0-9_]*$'),
  statement text not null,
  every interval not null check (every >= interval '1 second' and every <= interval '1 day'),
  description text not null
);
comment on table private.schedule is
  'Recurring work: each statement and how often it runs (pg_cron where it exists, and the service).';
comment on column private.schedule.name is 'The task''s name (pg_cron job whatssound-<name>).';
comment on column private.schedule.statement is 'One idempotent statement, safe to run from two places at once.';
comment on column private.schedule.every is 'How often it runs (1 second to 1 day; pg_cron: seconds, minutes or hours).';
comment on column private.schedule.description is 'What it does and what stops if it does not run.';
alter table private.schedule enable row level security;
-- NOTE: no policies and no grants: migrations write it, pg_cron and the service (postgres) read it.

insert into private.schedule (name, statement, every, description) values
  ('realtime_flush', 'select private.realtime_flush()', interval '1 second',
    'Ticks and frames, budgets, each room''s delivery mode. Without it crowds see no chat or votes.'),
  ('refresh_presence', 'select private.refresh_presence()', interval '5 seconds',
    'Listener and foreground counts from heartbeats. Without it counts freeze and rooms keep their mode.'),
  ('realtime_prune', 'select private.realtime_prune()', interval '5 minutes',
    'Drops logged events past the resync retention. Without it the log grows.');

-- helpers --------------------------------------------------------------------------------------

create function private.cron_spec(p_every interval) returns text
language sql immutable strict
set search_path = ''
as $$
  -- pg_cron takes '[1-59] seconds' or a cron expression (minutes and hours here).
  select case
    when p_every < interval '1 minute' then extract(epoch from p_every)::integer || ' seconds'
    when p_every < interval '1 hour' then '*/' || (extract(epoch from p_every) / 60)::integer || ' * * * *'
    else '0 */' || (extract(epoch from p_every) / 3600)::integer || ' * * *'
  end
$$;
comment on function private.cron_spec(interval) is 'The pg_cron schedule for a declared interval (seconds, minutes or hours).';

create function private.sync_cron() returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_cron name := (
    select e.extnamespace::regnamespace::name from pg_catalog.pg_extension as e where e.extname = 'pg_cron'
  );
  v_task private.schedule;
  v_count integer := 0;
begin
  if v_cron is null then
    return 0;  -- no pg_cron here: the service runs the declaration alone
  end if;
  -- Dynamic SQL on pg_cron's own schema: it exists only where pg_cron does.
  for v_task in select * from private.schedule order by name loop
    execute format('select %I.schedule($1, $2, $3)', v_cron)
    using 'whatssound-' || replace(v_task.name, '_', '-'), private.cron_spec(v_task.every), v_task.statement;
    v_count := v_count + 1;
  end loop;
  execute format($sql$
    select %1$I.unschedule(j.jobname) from %1$I.job as j
    where j.jobname like 'whatssound-%%'
      and j.jobname not in (select 'whatssound-' || replace(s.name, '_', '-') from private.schedule as s)
  $sql$, v_cron);
  return v_count;
end
$$;
comment on function private.sync_cron() is
  'Make pg_cron''s whatssound-* jobs match private.schedule (schedule or update each, unschedule the rest); '
  'a no-op without pg_cron. Returns how many are scheduled.';

select private.sync_cron();
