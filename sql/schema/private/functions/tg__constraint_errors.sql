-- FUNCTION: tg__constraint_errors()
CREATE FUNCTION private.tg__constraint_errors() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  v_setting text := 'whatssound.constraint_rules_' || TG_RELID::oid;
  v_version text;
  v_cached text;
  v_cases text;
  v_failed text;
  v_columns text;
  v_hint text;
  v_constraint oid;
begin
  -- Deparsing the rules costs more than checking them, so they are kept per session and table
  -- in a session setting, with the catalog rows' versions they were read from (xmin changes
  -- with every ALTER TABLE of a constraint or a column): a migration takes effect at once.
  v_version := concat((select string_agg(k.oid || ':' || k.xmin, ',' order by k.oid)
                       from pg_catalog.pg_constraint as k where k.conrelid = TG_RELID),
    '/', (select string_agg(a.xmin::text, ',' order by a.attnum)
          from pg_catalog.pg_attribute as a where a.attrelid = TG_RELID and a.attnum > 0));
  v_cached := pg_catalog.current_setting(v_setting, true);
  if starts_with(v_cached, v_version || E'\n') then
    v_cases := substr(v_cached, length(v_version) + 2);
  else
    v_cases := coalesce(private.constraint_rules(TG_RELID), '');
    perform pg_catalog.set_config(v_setting, v_version || E'\n' || v_cases, false);
  end if;
  if v_cases = '' then
    return NEW;
  end if;
  execute format('select case %s end from (select ($1).*) as _', v_cases) into v_failed using NEW;
  if v_failed is null then
    return NEW;
  end if;
  if v_failed like 'n%' then
    select a.attname, coalesce(pg_catalog.col_description(TG_RELID, a.attnum), 'See docs/api.md.')
    into v_columns, v_hint
    from pg_catalog.pg_attribute as a where a.attrelid = TG_RELID and a.attnum = substr(v_failed, 2)::smallint;
    raise exception '% is required.', v_columns using errcode = '22023', hint = v_hint;
  end if;
  v_constraint := substr(v_failed, 2)::oid;
  select string_agg(a.attname, ', ' order by c.i),
    coalesce(pg_catalog.obj_description(v_constraint, 'pg_constraint'),
      string_agg(a.attname || ': ' || pg_catalog.col_description(TG_RELID, a.attnum), ' ' order by c.i),
      'See docs/api.md.')
  into v_columns, v_hint
  from pg_catalog.pg_constraint as k
  cross join lateral unnest(k.conkey) with ordinality as c(n, i)
  join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = c.n
  where k.oid = v_constraint;
  if (select k.contype from pg_catalog.pg_constraint as k where k.oid = v_constraint) = 'f' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', format('%s names nothing that exists.', v_columns), v_hint),
      detail = hidden.api_response('P0002');
  end if;
  raise exception 'Invalid %.', v_columns using errcode = '22023', hint = v_hint;
end
$_$;

-- COMMENT: FUNCTION tg__constraint_errors()
COMMENT ON FUNCTION private.tg__constraint_errors() IS 'Before a row is written: the table''s NOT NULL, CHECK and FOREIGN KEY rules (read from the catalog) are checked first, so a breach answers 22023 (or P0002 for a missing referenced row) naming the column, with its comment as the hint, instead of PostgreSQL''s 23xxx naming the constraint.';

-- ACL: FUNCTION tg__constraint_errors()
REVOKE ALL ON FUNCTION private.tg__constraint_errors() FROM PUBLIC;
