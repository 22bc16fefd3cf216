-- FUNCTION: rt_cycle(timestamp with time zone)
CREATE FUNCTION private.rt_cycle(p_now timestamp with time zone, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_local timestamp := p_now at time zone 'UTC';
  v_month timestamp := date_trunc('month', p_now at time zone 'UTC');
  v_offset interval := make_interval(
    days => least(greatest((hidden.setting('realtime_cycle_start_day'))::integer, 1), 28) - 1
  );
begin
  if v_local < v_month + v_offset then
    v_month := v_month - interval '1 month';
  end if;
  cycle_start := (v_month + v_offset) at time zone 'UTC';
  cycle_end := (v_month + interval '1 month' + v_offset) at time zone 'UTC';
end
$$;

-- COMMENT: FUNCTION rt_cycle(p_now timestamp with time zone, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone)
COMMENT ON FUNCTION private.rt_cycle(p_now timestamp with time zone, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone) IS 'The billing cycle containing p_now (realtime_cycle_start_day, UTC).';

-- ACL: FUNCTION rt_cycle(p_now timestamp with time zone, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone)
REVOKE ALL ON FUNCTION private.rt_cycle(p_now timestamp with time zone, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone) FROM PUBLIC;
