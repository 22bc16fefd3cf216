-- FUNCTION: slowest_statements(integer)
CREATE FUNCTION private.slowest_statements(p_limit integer DEFAULT 20) RETURNS TABLE(calls bigint, total_ms numeric, mean_ms numeric, rows bigint, query text)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
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
$_$;

-- COMMENT: FUNCTION slowest_statements(p_limit integer)
COMMENT ON FUNCTION private.slowest_statements(p_limit integer) IS 'Statements by total execution time (pg_stat_statements), heaviest first; empty where the extension is absent.';

-- ACL: FUNCTION slowest_statements(p_limit integer)
REVOKE ALL ON FUNCTION private.slowest_statements(p_limit integer) FROM PUBLIC;
