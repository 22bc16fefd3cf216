-- FUNCTION: prune_cron_history_in(name)
CREATE FUNCTION private.prune_cron_history_in(p_schema name) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
declare
  v_batch bigint;
  v_total bigint := 0;
begin
  -- Batches keep each delete short: the flusher writes to the same table every second.
  loop
    execute format($sql$
      delete from %1$I.job_run_details as d where d.runid in (
        select r.runid from %1$I.job_run_details as r where r.end_time < now() - make_interval(days => $1) limit $2
      )
    $sql$, p_schema)
    using (hidden.setting('cron_history_days'))::integer, (hidden.setting('cron_history_batch'))::integer;
    get diagnostics v_batch = row_count;
    v_total := v_total + v_batch;
    exit when v_batch < (hidden.setting('cron_history_batch'))::integer;
  end loop;
  return v_total;
end
$_$;

-- COMMENT: FUNCTION prune_cron_history_in(p_schema name)
COMMENT ON FUNCTION private.prune_cron_history_in(p_schema name) IS 'Delete pg_cron runs (job_run_details in p_schema) that ended more than cron_history_days ago; returns how many.';

-- ACL: FUNCTION prune_cron_history_in(p_schema name)
REVOKE ALL ON FUNCTION private.prune_cron_history_in(p_schema name) FROM PUBLIC;
