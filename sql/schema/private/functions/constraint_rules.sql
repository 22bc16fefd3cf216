-- FUNCTION: constraint_rules(regclass)
CREATE FUNCTION private.constraint_rules(p_table regclass) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  -- Each rule is a "when <the row breaks it> then '<rule>'" branch (n<attnum>: not null,
  -- c<constraint oid>: check or foreign key), in the order PostgreSQL would report them.
  select string_agg(format('when %s then %L', r.breaks, r.rule), ' ' order by r.ord, r.rule)
  from (
    select 1 as ord, 'n' || a.attnum as rule, format('_.%I is null', a.attname) as breaks
    from pg_catalog.pg_attribute as a
    where a.attrelid = p_table and a.attnum > 0 and a.attnotnull and not a.attisdropped and a.attgenerated = ''
    union all
    select 2, 'c' || k.oid, format('(%s) is false', pg_catalog.pg_get_expr(k.conbin, k.conrelid))
    from pg_catalog.pg_constraint as k
    where k.conrelid = p_table and k.contype = 'c'
    union all
    select 3, 'c' || k.oid, format('(%s) and not exists (select from %s as r where %s)',
      (select string_agg(format('_.%I is not null', a.attname), ' and ')
       from unnest(k.conkey) as c(n) join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = c.n),
      k.confrelid::regclass,
      (select string_agg(format('r.%I = _.%I', fa.attname, a.attname), ' and ')
       from unnest(k.conkey, k.confkey) as c(n, fn)
       join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = c.n
       join pg_catalog.pg_attribute as fa on fa.attrelid = k.confrelid and fa.attnum = c.fn))
    from pg_catalog.pg_constraint as k
    where k.conrelid = p_table and k.contype = 'f' and not k.condeferrable
  ) as r
$$;

-- COMMENT: FUNCTION constraint_rules(p_table regclass)
COMMENT ON FUNCTION private.constraint_rules(p_table regclass) IS 'A table''s NOT NULL, CHECK and non-deferrable FOREIGN KEY rules as the branches of one CASE over its row (aliased _), each naming the rule it breaks; null if it has none. Read by tg__constraint_errors.';

-- ACL: FUNCTION constraint_rules(p_table regclass)
REVOKE ALL ON FUNCTION private.constraint_rules(p_table regclass) FROM PUBLIC;
