/*
 * jobs-queue: how the rest of the schema uses the job queue, and what operators see of it.
 *
 *   private.enqueue_job(task, args, ...)   enqueue in the caller's transaction (the transactional
 *                                          outbox: a rolled-back change enqueues nothing)
 *   private.job_failures                   every failed attempt with its error (the last one is
 *                                          the dead letter's reason when retries run out)
 *   private.job_queue_health               per queue and state: jobs, age of the oldest waiting
 */

create table private.job_failures (
  id bigint generated always as identity primary key,
  job_id bigint not null references procrastinate.procrastinate_jobs (id) on delete cascade,
  task_name text not null,
  attempt integer not null check (attempt >= 1),
  error text not null,
  failed_at timestamptz not null default now()
);
comment on table private.job_failures is 'Each failed attempt of a job and why (written by the worker).';
comment on column private.job_failures.id is 'Order written.';
comment on column private.job_failures.job_id is 'The job (procrastinate.procrastinate_jobs).';
comment on column private.job_failures.task_name is 'Its task, kept for reading without a join.';
comment on column private.job_failures.attempt is 'Which attempt failed (1 = the first run).';
comment on column private.job_failures.error is 'Exception type and message (no secrets: tasks raise operator-readable errors).';
comment on column private.job_failures.failed_at is 'When it failed.';
create index job_failures_job_idx on private.job_failures (job_id, attempt desc);
alter table private.job_failures enable row level security;
-- NOTE: no policies and no grants: the worker and operators (CLI) only.

create function private.enqueue_job(
  p_task text, p_args jsonb default '{}', p_queue text default 'default', p_queueing_lock text default null,
  p_lock text default null, p_run_at timestamptz default null, p_priority integer default 0
) returns bigint
language plpgsql volatile
set search_path = ''
as $$
declare
  v_ids bigint[];
begin
  v_ids := procrastinate.procrastinate_defer_jobs_v1(array[
    row(p_queue, p_task, p_priority, p_lock, p_queueing_lock, coalesce(p_args, '{}'), p_run_at)
      ::procrastinate.procrastinate_job_to_defer_v1
  ]);
  return v_ids[1];
exception
  when unique_violation then
    return null;  -- a job with this queueing lock is already waiting: it will do this work too
end
$$;
comment on function private.enqueue_job(text, jsonb, text, text, text, timestamptz, integer) is
  'Enqueue a job in the current transaction (visible to workers at commit). p_queueing_lock: at most one such job '
  'waiting (NULL is returned when one already is); p_lock: such jobs run one at a time; p_run_at: not before.';

create view private.job_queue_health with (security_invoker = true) as
select
  j.queue_name as queue,
  j.status::text as status,
  count(*) as jobs,
  case
    when j.status = 'todo' then greatest(extract(epoch from now() - min(coalesce(j.scheduled_at, e.at))), 0)
  end as oldest_waiting_s
from procrastinate.procrastinate_jobs as j
left join lateral (
  select min(ev.at) as at from procrastinate.procrastinate_events as ev
  where ev.job_id = j.id and ev.type = 'deferred'
) as e on true
group by j.queue_name, j.status;
comment on view private.job_queue_health is
  'Per queue and state: how many jobs, and for waiting ones how long the oldest has been due (seconds).';
