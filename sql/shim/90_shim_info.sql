/*
 * Schema `supabase_shim`: local-only bookkeeping and the Realtime server's chores.
 * Nothing outside local tooling may depend on it (it does not exist on Supabase).
 */
create schema if not exists supabase_shim authorization supabase_admin;
revoke all on schema supabase_shim from public;

create table if not exists supabase_shim.info (
  singleton boolean primary key default true check (singleton),
  shim_hash text not null,
  applied_at timestamptz not null default now()
);
comment on table supabase_shim.info is 'Which version (hash of sql/shim/*.sql) of the local shim this database has.';

/*
 * What the Realtime server does to realtime.messages: keep daily partitions from yesterday
 * ahead (today+3 there; a week here, as it runs only at bootstrap) and drop the ones older
 * than 72 h.
 */
create or replace function supabase_shim.realtime_maintain() returns void
language plpgsql
set search_path = ''
as $$
declare
  v_day date;
  v_name text;
  v_cutoff date := (now() at time zone 'utc' - interval '72 hours')::date;
begin
  for v_day in
    select generate_series(current_date - 1, current_date + 7, interval '1 day')::date
  loop
    v_name := 'messages_' || to_char(v_day, 'YYYY_MM_DD');
    continue when to_regclass('realtime.' || v_name) is not null;
    execute format(
      'create table realtime.%I partition of realtime.messages for values from (%L) to (%L)',
      v_name, v_day, v_day + 1);
    execute format('alter table realtime.%I owner to supabase_realtime_admin', v_name);
  end loop;
  for v_name in
    select c.relname
    from pg_catalog.pg_inherits i
    join pg_catalog.pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'realtime.messages'::regclass
      and c.relname ~ '^messages_\d{4}_\d{2}_\d{2}$'
      and to_date(substring(c.relname from 10), 'YYYY_MM_DD') < v_cutoff
  loop
    execute format('drop table realtime.%I', v_name);
  end loop;
end
$$;
comment on function supabase_shim.realtime_maintain() is
  'Local stand-in for the Realtime server''s partition janitor (create ahead, drop after 72 h).';

select supabase_shim.realtime_maintain();
