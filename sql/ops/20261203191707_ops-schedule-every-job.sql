/*
 * ops-schedule-every-job: private.schedule lists every recurring job, not only the realtime ones
 * (issue 21 §3).
 *
 * Recurring work had three homes: this table (run by pg_cron where it exists and by the
 * service), a list in whatssound_svc/periodic.py (six maintenance statements, two of their
 * intervals service settings), and cron literals on four procrastinate tasks. Each job is now one
 * row here, and every scheduler reads its rows:
 *   - runs_on 'database': pg_cron where the extension exists (private.sync_cron) and the
 *     service's periodic loop everywhere (as before; every such statement is idempotent);
 *   - runs_on 'service': the service's periodic loop only (one instance at a time);
 *   - runs_on 'workers': a procrastinate task the job workers defer (work that calls external
 *     APIs or needs the queue's retries).
 * Intervals are the ones in force until now; whatssound jobs schedule prints the table.
 *
 * The SMS audit prune was also scheduled daily with pg_cron (whatssound-sms-prune, 04:17, by
 * auth-sms-guard), but private.sync_cron() unscheduled that job in ops-schedule (a whatssound-*
 * job not declared here), so it has run hourly in the service alone since; it is declared
 * hourly, in the service, as it runs.
 *
 * private.sync_cron() is restated from ops-schedule (its only definition): its body moves, with a
 * runs_on = 'database' filter, to private.sync_cron_in(p_cron) so tests can drive it against a
 * stand-in for pg_cron's schema; pg_cron's job name comes from private.cron_job_name.
 * NOTE: no grants anywhere in this file: the table and functions are read and called by pg_cron,
 * the service and operators (all as postgres), never by the API roles.
 */

-- tables ---------------------------------------------------------------------------------------

alter table private.schedule
  alter column statement drop not null,
  add column task text check (task ~ '^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$'),
  add column runs_on text not null default 'database' check (runs_on in ('database', 'service', 'workers')),
  add constraint schedule_runs_one_thing check (
    (task is not null) = (runs_on = 'workers') and (statement is null) = (task is not null)
  );
alter table private.schedule alter column runs_on drop default;

comment on table private.schedule is
  'Every recurring job, declared once: what it runs, how often and where (pg_cron, the service, the job workers).';
comment on column private.schedule.statement is
  'The SQL it runs (runs_on database or service): one idempotent statement, safe to run from two places at once.';
comment on column private.schedule.task is
  'The procrastinate task the job workers defer (runs_on workers), e.g. push:send_later.';
comment on column private.schedule.runs_on is
  'Where it runs: database (pg_cron where it exists, and the service), service (the service alone), '
  'workers (the job workers).';

insert into private.schedule (name, statement, task, every, runs_on, description) values
  ('account_deletions', 'select private.process_account_deletions()', null, interval '10 seconds', 'service',
    'Completes requested account deletions. Without it deleted accounts keep their auth.users row.'),
  ('webhook_events', 'select private.process_webhook_events()', null, interval '2 seconds', 'service',
    'Applies stored payment webhook events. Without it tips and entitlements wait.'),
  ('abandoned_sessions', 'select private.end_abandoned_sessions()', null, interval '1 minute', 'service',
    'Ends live sessions whose DJ vanished (session_abandoned_minutes). Without it dead rooms stay live.'),
  ('retention', 'select private.prune_retention()', null, interval '1 hour', 'service',
    'Deletes what the retention policy no longer keeps (retention_*). Without it the tables grow.'),
  ('sms_audit_prune', 'select private.prune_sms_sends()', null, interval '1 hour', 'service',
    'Deletes send-SMS audit rows older than 90 days. Without it the audit grows.'),
  ('unpaid_tips', 'select private.expire_unpaid_tips()', null, interval '1 hour', 'service',
    'Closes tips never given a PaymentIntent (tip_unpaid_expiry_hours). Without it they stay pending.'),
  ('recover_stalled', null, 'jobs:recover_stalled', interval '10 seconds', 'workers',
    'Puts back jobs held by workers whose heartbeat stopped. Without it a killed worker''s jobs wait forever.'),
  ('push_send_later', null, 'push:send_later', interval '1 minute', 'workers',
    'Sends push messages as their quiet hours or retry backoff end. Without it delayed pushes wait.'),
  ('push_receipts', null, 'push:receipts', interval '1 minute', 'workers',
    'Reads Expo receipts of tickets 15 min to 23 h old. Without it dead tokens are never deactivated.'),
  ('catalogue_verify', null, 'catalogue:verify', interval '1 minute', 'workers',
    'Verifies requested track ids with their providers. Without it requests keep what the requester typed.');

comment on function private.prune_sms_sends() is
  'Scheduled hourly (private.schedule sms_audit_prune): delete send-SMS audit rows older than 90 days; returns how many.';

-- helper functions -----------------------------------------------------------------------------

create function private.cron_schema() returns name
language sql stable
set search_path = ''
as $$
  select e.extnamespace::regnamespace::name from pg_catalog.pg_extension as e where e.extname = 'pg_cron'
$$;
comment on function private.cron_schema() is 'The schema pg_cron is installed in, or null where it is not.';

create function private.cron_job_name(p_name text) returns text
language sql immutable strict
set search_path = ''
as $$
  select 'whatssound-' || replace(p_name, '_', '-')
$$;
comment on function private.cron_job_name(text) is 'The pg_cron job name of a declared job (whatssound-<name>, dashed).';

create function private.sync_cron_in(p_cron name) returns integer
language plpgsql volatile strict
set search_path = ''
as $$
declare
  v_task private.schedule;
  v_count integer := 0;
begin
  -- Dynamic SQL on pg_cron's own schema: it exists only where pg_cron does.
  for v_task in select * from private.schedule as s where s.runs_on = 'database' order by s.name loop
    execute format('select %I.schedule($1, $2, $3)', p_cron)
    using private.cron_job_name(v_task.name), private.cron_spec(v_task.every), v_task.statement;
    v_count := v_count + 1;
  end loop;
  execute format($sql$
    select %1$I.unschedule(j.jobname) from %1$I.job as j
    where j.jobname like 'whatssound-%%'
      and j.jobname not in (
        select private.cron_job_name(s.name) from private.schedule as s where s.runs_on = 'database'
      )
  $sql$, p_cron);
  return v_count;
end
$$;
comment on function private.sync_cron_in(name) is
  'Make the whatssound-* jobs of pg_cron (installed in p_cron) match the runs_on = database rows of '
  'private.schedule: schedule or update each, unschedule the rest. Returns how many are scheduled.';

create or replace function private.sync_cron() returns integer
language sql volatile
set search_path = ''
as $$
  -- No pg_cron here: nothing to schedule, the service runs the declaration alone.
  select coalesce(private.sync_cron_in(private.cron_schema()), 0)
$$;
comment on function private.sync_cron() is
  'Make pg_cron''s whatssound-* jobs match private.schedule (private.sync_cron_in); '
  'a no-op without pg_cron. Returns how many are scheduled.';

-- operator functions ---------------------------------------------------------------------------

create function private.scheduled_jobs(p_cron name default private.cron_schema())
returns table (
  name text,
  every interval,
  runs text,
  runs_on text,
  last_run_at timestamptz,
  description text
)
language plpgsql stable
set search_path = ''
as $$
declare
  v_cron_runs jsonb := '{}';
begin
  if p_cron is not null then
    execute format($sql$
      select coalesce(jsonb_object_agg(j.jobname, r.started), '{}') from %1$I.job as j
      cross join lateral (
        select max(d.start_time) as started from %1$I.job_run_details as d where d.jobid = j.jobid
      ) as r
      where j.jobname like 'whatssound-%%'
    $sql$, p_cron) into v_cron_runs;
  end if;
  return query
    select s.name, s.every, coalesce(s.statement, s.task), s.runs_on,
      case s.runs_on
        when 'database' then (v_cron_runs ->> private.cron_job_name(s.name))::timestamptz
        when 'workers' then (
          select max(e.at) from procrastinate.procrastinate_jobs as j
          join procrastinate.procrastinate_events as e on e.job_id = j.id
          where j.task_name = s.task and e.type = 'started'
        )
      end,
      s.description
    from private.schedule as s
    order by s.name;
end
$$;
comment on function private.scheduled_jobs(name) is
  'Every declared job with when it last started, where that is recorded: pg_cron''s run history (installed in '
  'p_cron) for database jobs, the queue for workers'' tasks; null for the service''s own runs (whatssound jobs schedule).';

select private.sync_cron();
