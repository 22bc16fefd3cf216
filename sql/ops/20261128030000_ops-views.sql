/*
 * ops-views: what an operator looks at first (docs/runbook.md). Readable by the service's role
 * (postgres) and the SQL editor; nothing here is exposed to the API.
 */

create view private.long_transactions with (security_invoker = true) as
select
  a.pid,
  a.usename as role,
  a.application_name,
  a.state,
  a.wait_event_type,
  now() - a.xact_start as running_for,
  left(a.query, 200) as query
from pg_catalog.pg_stat_activity as a
where a.xact_start < now() - interval '30 seconds' and a.pid <> pg_catalog.pg_backend_pid()
order by a.xact_start;
comment on view private.long_transactions is
  'Transactions open for more than 30 s (they hold back vacuum and may hold locks), oldest first.';

create view private.table_bloat with (security_invoker = true) as
select
  s.schemaname as schema,
  s.relname as table_name,
  s.n_live_tup as live_rows,
  s.n_dead_tup as dead_rows,
  round(100.0 * s.n_dead_tup / nullif(s.n_live_tup + s.n_dead_tup, 0), 1) as dead_percent,
  pg_catalog.pg_size_pretty(pg_catalog.pg_total_relation_size(s.relid)) as total_size,
  greatest(s.last_vacuum, s.last_autovacuum) as last_vacuum
from pg_catalog.pg_stat_user_tables as s
where s.schemaname in ('public', 'private', 'procrastinate')
order by s.n_dead_tup desc;
comment on view private.table_bloat is
  'Dead rows per table (what vacuum has not reclaimed yet) and size, worst first: a rough bloat gauge.';

create function private.slowest_statements(p_limit integer default 20)
returns table (calls bigint, total_ms numeric, mean_ms numeric, rows bigint, query text)
language plpgsql stable
set search_path = ''
as $$
declare
  v_view regclass := coalesce(to_regclass('extensions.pg_stat_statements'), to_regclass('public.pg_stat_statements'));
begin
  if v_view is null then
    return;  -- pg_stat_statements is not installed here (it is on Supabase, in schema extensions)
  end if;
  return query execute format(
    'select s.calls, round(s.total_exec_time::numeric, 1), round(s.mean_exec_time::numeric, 2), s.rows, '
    'left(s.query, 300) from %s as s order by s.total_exec_time desc limit $1', v_view
  ) using p_limit;
end
$$;
comment on function private.slowest_statements(integer) is
  'Statements by total execution time (pg_stat_statements), heaviest first; empty where the extension is absent.';
