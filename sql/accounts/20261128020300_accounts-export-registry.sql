/*
 * accounts-export-registry: later domains add their sections to the account export by
 * registering a query, instead of each re-creating export_my_data.
 *
 * The export so far becomes hidden.export_core() (renamed, body unchanged); export_my_data()
 * returns it merged with every registered section. A section's query takes the user id as $1
 * and returns one JSON value; only migrations write the registry.
 */

create table private.export_sections (
  section text primary key check (section ~ '^[a-z_]+$'),
  query text not null
);
comment on table private.export_sections is 'Extra sections of the account export: name and a query of $1 (the user id) returning JSON.';
comment on column private.export_sections.section is 'Key in the export document.';
comment on column private.export_sections.query is 'SQL returning one json value for user $1 (written by migrations only).';
alter table private.export_sections enable row level security;
-- NOTE: no policies and no grants: migrations write it, export_my_data reads it as its owner.

alter function hidden.export_my_data() rename to export_core;
comment on function hidden.export_core() is 'The export''s fixed sections (see export_my_data).';
revoke execute on function hidden.export_core() from authenticated;

create function hidden.export_my_data() returns json
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_export jsonb := hidden.export_core()::jsonb;
  v_section private.export_sections;
  v_value json;
begin
  for v_section in select * from private.export_sections as s order by s.section loop
    execute v_section.query into v_value using hidden.require_user();
    v_export := v_export || jsonb_build_object(v_section.section, coalesce(v_value::jsonb, 'null'::jsonb));
  end loop;
  return v_export::json;
end
$$;
comment on function hidden.export_my_data() is 'Implementation of export_my_data: the fixed sections plus the registered ones.';
grant execute on function hidden.export_my_data() to authenticated;

insert into private.export_sections (section, query) values
  ('push_devices',
    'select coalesce(json_agg(d order by d.created_at), ''[]'') from public.push_devices as d where d.user_id = $1'),
  ('push_preferences', 'select to_json(p) from public.push_preferences as p where p.user_id = $1');
