-- FUNCTION: realtime_prune()
CREATE FUNCTION private.realtime_prune() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_gone integer;
  v_retention interval := make_interval(hours => (hidden.setting('realtime_log_retention_hours'))::integer);
begin
  delete from private.realtime_log as l where l.created_at < now() - v_retention;
  get diagnostics v_gone = row_count;
  delete from private.room_snapshots as r where r.built_at < now() - v_retention;
  return v_gone;
end
$$;

-- COMMENT: FUNCTION realtime_prune()
COMMENT ON FUNCTION private.realtime_prune() IS 'Scheduled: drop logged events (and room snapshots) older than the resync retention; returns the events dropped.';

-- ACL: FUNCTION realtime_prune()
REVOKE ALL ON FUNCTION private.realtime_prune() FROM PUBLIC;
