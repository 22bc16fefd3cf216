/*
 * ops-bounded-retention: chat, job failures and realtime topics are pruned too (issue 18 §7).
 *
 * 100,000 chat lines in one room added 29 MB that were never removed, and private.job_failures
 * and private.realtime_topics grew forever. private.prune_retention() (the hourly retention task
 * of whatssound_svc/periodic.py, sql/ops/20261128030400_ops-retention.sql) now also deletes:
 *
 *   chat lines        of sessions that ended more than retention_chat_days (90) ago, except lines
 *                     a report or a moderation-log entry names. Deleting a reported line would
 *                     cascade to the report (staff's record of it); the log copies the line's body
 *                     but its target_message_id should still lead to the line. Until then the
 *                     lines are in chat_history, moderators' views and the author's data export
 *                     (export_my_data lists every line they wrote that still exists). Mention
 *                     notifications of a pruned line go with it (foreign key, on delete cascade).
 *                     A session whose prunable lines are all gone is noted in
 *                     private.pruned_session_chats and never scanned again (an ended session
 *                     takes no new lines).
 *   job failures      older than retention_job_failure_days (30), except each job's latest (the
 *                     dead letter's reason, shown by `whatssound jobs failed`); the rest go with
 *                     their job (foreign key, on delete cascade) under retention_*_job_days.
 *   realtime topics   session and staff topics of sessions that ended more than
 *                     retention_realtime_topic_days (7) ago, or that no longer exist, once
 *                     nothing of them is left in the log or buffer (the log is the resync window,
 *                     realtime_log_retention_hours: 24). Readers treat a missing row as a topic
 *                     that never broadcast (sql/realtime/20261203131333_realtime-retired-topics.sql);
 *                     a writer recreates it on first use. User topics go with their account.
 *
 * Bounded: each of these is deleted retention_batch_rows (5,000) at a time, at most
 * retention_max_rows_per_run (100,000) per table per run, the rest in the next run. Every row
 * deleted belongs to a session that ended long ago (or is an old failure), so no live room's row
 * is locked; topic rows the flusher holds are skipped (SKIP LOCKED). Body of prune_retention
 * copied from 20261128030400_ops-retention.sql (no later restatement); the three sections are new.
 */

insert into private.settings (key, value, description) values
  ('retention_chat_days', '90',
    'Chat lines of sessions ended this many days ago are deleted (not lines a report or the moderation log names).'),
  ('retention_job_failure_days', '30', 'Failed job attempts are deleted after this many days (not a job''s latest).'),
  ('retention_realtime_topic_days', '7',
    'Realtime topic rows of sessions that ended this many days ago are deleted (must exceed the log''s retention).'),
  ('retention_batch_rows', '5000', 'Rows a retention batch deletes in one statement (chat, job failures, topics).'),
  ('retention_max_rows_per_run', '100000', 'Most rows a retention run deletes per table (the rest: the next run).');

-- tables ---------------------------------------------------------------------------------------

create table private.pruned_session_chats (
  session_id uuid primary key references public.dj_sessions (id) on delete cascade,
  pruned_at timestamptz not null default now()
);
comment on table private.pruned_session_chats is
  'Ended sessions whose chat retention has deleted every line it may (the rest is protected): not scanned again.';
comment on column private.pruned_session_chats.session_id is 'The session.';
comment on column private.pruned_session_chats.pruned_at is 'When its last prunable line was deleted.';
alter table private.pruned_session_chats enable row level security;
-- NOTE: no policies and no grants: only private.prune_retention() (as postgres) uses it.

-- What the retention statements look up: failures by age, chat lines named by the log.
create index job_failures_failed_at_idx on private.job_failures (failed_at);
create index moderation_log_target_message_idx on public.moderation_log (target_message_id)
where target_message_id is not null;

-- helper functions -----------------------------------------------------------------------------

create function private.prune_batched(p_delete text, p_max integer, p_key uuid default null) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_batch integer := (hidden.setting('retention_batch_rows'))::integer;
  v_total integer := 0;
  v_count integer;
begin
  -- p_delete deletes at most $1 rows ($2: p_key); repeated until a batch comes back short.
  loop
    execute p_delete using least(v_batch, p_max - v_total), p_key;
    get diagnostics v_count = row_count;
    v_total := v_total + v_count;
    exit when v_count < v_batch or v_total >= p_max;
  end loop;
  return v_total;
end
$$;
comment on function private.prune_batched(text, integer, uuid) is
  'Run a retention delete (at most $1 rows per statement, $2 = p_key) in batches until it deletes fewer than '
  'retention_batch_rows or p_max rows in all; returns the rows deleted.';

create function private.prune_chat(p_max integer) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_session uuid;
  v_count integer;
  v_total integer := 0;
begin
  for v_session in
    select s.id from public.dj_sessions as s
    where s.status = 'ended'
      and s.ended_at < now() - make_interval(days => (hidden.setting('retention_chat_days'))::integer)
      and not exists (select 1 from private.pruned_session_chats as p where p.session_id = s.id)
    order by s.ended_at
  loop
    v_count := private.prune_batched($sql$
      delete from public.chat_messages as d where d.id in (
        select m.id from public.chat_messages as m
        where m.session_id = $2
          and not exists (select 1 from public.reports as r where r.target_message_id = m.id)
          and not exists (select 1 from public.moderation_log as l where l.target_message_id = m.id)
        limit $1
      )
    $sql$, p_max - v_total, v_session);
    v_total := v_total + v_count;
    exit when v_total >= p_max;  -- this session may have more: the next run goes on with it
    insert into private.pruned_session_chats (session_id) values (v_session);
  end loop;
  return v_total;
end
$$;
comment on function private.prune_chat(integer) is
  'Delete chat lines of sessions ended retention_chat_days ago, except lines a report or moderation-log entry '
  'names, at most p_max; sessions left with protected lines only are noted as pruned. Returns the lines deleted.';

create or replace function private.prune_retention() returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_done jsonb := '{}';
  v_count integer;
  v_max integer := (hidden.setting('retention_max_rows_per_run'))::integer;
begin
  delete from private.webhook_events as e
  where e.handled_at < now() - make_interval(days => (hidden.setting('retention_webhook_days'))::integer);
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('webhook_events', v_count);
  delete from private.push_messages as m
  where m.created_at < now() - make_interval(days => (hidden.setting('retention_push_days'))::integer);
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('push_messages', v_count);
  delete from public.notifications as n
  where (n.read_at is not null
      and n.created_at < now() - make_interval(days => (hidden.setting('retention_read_notification_days'))::integer))
    or n.created_at < now() - make_interval(days => (hidden.setting('retention_unread_notification_days'))::integer);
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('notifications', v_count);
  delete from procrastinate.procrastinate_jobs as j
  where (j.status in ('succeeded', 'cancelled', 'aborted') and not exists (
      select 1 from procrastinate.procrastinate_events as v
      where v.job_id = j.id
        and v.at > now() - make_interval(days => (hidden.setting('retention_finished_job_days'))::integer)
    ))
    or (j.status = 'failed' and not exists (
      select 1 from procrastinate.procrastinate_events as v
      where v.job_id = j.id
        and v.at > now() - make_interval(days => (hidden.setting('retention_failed_job_days'))::integer)
    ));
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('jobs', v_count);
  v_done := v_done || jsonb_build_object('chat_messages', private.prune_chat(v_max));
  v_done := v_done || jsonb_build_object('job_failures', private.prune_batched($sql$
    delete from private.job_failures as d where d.id in (
      select f.id from private.job_failures as f
      where f.failed_at < now() - make_interval(days => (hidden.setting('retention_job_failure_days'))::integer)
        and exists (select 1 from private.job_failures as n where n.job_id = f.job_id and n.id > f.id)
      limit $1
    )
  $sql$, v_max));
  return v_done || jsonb_build_object('realtime_topics', private.prune_batched($sql$
    delete from private.realtime_topics as d where d.topic in (
      select t.topic from private.realtime_topics as t
      left join public.dj_sessions as s on s.id = t.session_id
      where t.session_id is not null and t.pending = 0
        and (s.id is null or (s.status = 'ended'
          and s.ended_at < now() - make_interval(days => (hidden.setting('retention_realtime_topic_days'))::integer)))
        and not exists (select 1 from private.realtime_log as l where l.topic = t.topic)
        and not exists (select 1 from private.realtime_buffer as b where b.topic = t.topic)
      limit $1
      for update of t skip locked
    )
  $sql$, v_max));
end
$$;
comment on function private.prune_retention() is
  'Delete what the retention policy no longer keeps (settings retention_*; chat lines, job failures and realtime '
  'topics in bounded batches); returns the rows deleted per table.';
