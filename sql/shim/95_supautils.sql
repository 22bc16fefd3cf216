/*
 * What hosted supautils lets `postgres` do to the services' tables, and nothing more.
 *
 * On Supabase storage.buckets and storage.objects belong to supabase_storage_admin and
 * realtime.messages to supabase_realtime_admin (50_storage.sql, 40_realtime.sql make them so
 * here too). `postgres` holds table privileges on them (storage: ALL; realtime.messages:
 * SELECT, INSERT, UPDATE) and, through supautils.policy_grants
 * (supabase/postgres ansible/files/postgresql_config/supautils.conf.j2), may create, alter and
 * drop their policies without owning them. Everything else an owner could do is refused there
 * ("must be owner of table objects"): ALTER TABLE, COMMENT ON, CREATE INDEX, DROP TRIGGER,
 * renaming a policy; and CREATE TRIGGER on realtime.messages needs the TRIGGER privilege it
 * lacks. Vanilla PostgreSQL checks ownership for policies too, so here postgres inherits the
 * owners' rights (membership, no SET on 16+) and this event trigger refuses the rest, so a
 * migration fails locally exactly where `supabase db push` would fail.
 */
do $memberships$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant supabase_storage_admin to postgres with inherit true, set false';
    execute 'grant supabase_realtime_admin to postgres with inherit true, set false';
  else
    grant supabase_storage_admin to postgres;
    grant supabase_realtime_admin to postgres;
  end if;
end
$memberships$;


create or replace function supabase_shim.supautils_ddl_guard() returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  v_cmd record;
  v_relation oid;
  v_schema name;
begin
  if (select r.rolsuper or r.rolname in ('supabase_storage_admin', 'supabase_realtime_admin')
      from pg_catalog.pg_roles as r where r.rolname = current_user) then
    return;  -- superusers and the owning services are not limited by supautils
  end if;
  for v_cmd in select * from pg_catalog.pg_event_trigger_ddl_commands() loop
    v_relation := case v_cmd.classid
      when 'pg_catalog.pg_class'::regclass then coalesce(
        (select i.indrelid from pg_catalog.pg_index as i where i.indexrelid = v_cmd.objid), v_cmd.objid)
      when 'pg_catalog.pg_trigger'::regclass then (select t.tgrelid from pg_catalog.pg_trigger as t where t.oid = v_cmd.objid)
      when 'pg_catalog.pg_policy'::regclass then (select p.polrelid from pg_catalog.pg_policy as p where p.oid = v_cmd.objid)
      when 'pg_catalog.pg_constraint'::regclass then
        (select c.conrelid from pg_catalog.pg_constraint as c where c.oid = v_cmd.objid)
      when 'pg_catalog.pg_rewrite'::regclass then (select r.ev_class from pg_catalog.pg_rewrite as r where r.oid = v_cmd.objid)
    end;
    -- By name (a regclass cast would need USAGE on the schema, which not every caller has).
    select n.nspname into v_schema
    from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
    where c.oid = v_relation
      and ((n.nspname = 'storage' and c.relname in ('buckets', 'objects'))
        or (n.nspname = 'realtime' and c.relname ~ '^messages(_|$)'));
    if v_schema is null then  -- anything else in the services' schemas is theirs alone
      continue when v_cmd.schema_name is null or v_cmd.schema_name not in ('storage', 'realtime');
    else
      continue when v_cmd.command_tag in ('CREATE POLICY', 'DROP POLICY')
        or (v_cmd.command_tag = 'ALTER POLICY' and current_query() !~* '\mrename\s+to\M')
        or (v_cmd.command_tag = 'CREATE TRIGGER' and v_schema = 'storage');
    end if;
    raise exception '% %: must be owner of schema % or its tables (supautils lets postgres manage only policies)',
      v_cmd.command_tag, v_cmd.object_identity, coalesce(v_schema, v_cmd.schema_name)
      using errcode = '42501';
  end loop;
end
$$;
comment on function supabase_shim.supautils_ddl_guard() is
  'Refuses what hosted Supabase refuses postgres on the services'' tables (all but policies, and storage triggers).';

create or replace function supabase_shim.supautils_drop_guard() returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  v_drop record;
begin
  if (select r.rolsuper or r.rolname in ('supabase_storage_admin', 'supabase_realtime_admin')
      from pg_catalog.pg_roles as r where r.rolname = current_user) then
    return;  -- superusers and the owning services are not limited by supautils
  end if;
  -- Only what the statement names: a CASCADE drops dependents without an ownership check. Every
  -- object in these schemas belongs to a service (postgres cannot create any there), except
  -- the policies it may manage.
  for v_drop in
    select * from pg_catalog.pg_event_trigger_dropped_objects() as d
    where d.original and d.schema_name in ('storage', 'realtime') and d.object_type <> 'policy'
  loop
    raise exception 'DROP % %: must be owner (supautils lets postgres manage only the policies here)',
      upper(v_drop.object_type), v_drop.object_identity
      using errcode = '42501';
  end loop;
end
$$;
comment on function supabase_shim.supautils_drop_guard() is
  'Refuses drops hosted Supabase refuses postgres in the services'' schemas (all but policies).';

do $event_triggers$
begin
  -- (Inside DO: sqlfluff's postgres dialect cannot parse CREATE EVENT TRIGGER.)
  drop event trigger if exists supabase_shim_supautils_ddl;
  execute 'create event trigger supabase_shim_supautils_ddl on ddl_command_end '
    'execute function supabase_shim.supautils_ddl_guard()';
  drop event trigger if exists supabase_shim_supautils_drop;
  execute 'create event trigger supabase_shim_supautils_drop on sql_drop '
    'execute function supabase_shim.supautils_drop_guard()';
end
$event_triggers$;
