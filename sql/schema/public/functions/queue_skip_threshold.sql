-- FUNCTION: queue_skip_threshold(public.skip_mode, integer, numeric, integer)
CREATE FUNCTION public.queue_skip_threshold(p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
begin
  return case p_mode
    when 'off' then null
    when 'percent' then greatest(1, ceil(p_percent / 100.0 * greatest(p_present, 1))::integer)
    else greatest(1, ceil(p_log_factor * ln(greatest(p_present, 1) + 1))::integer)
  end;
end
$$;

-- COMMENT: FUNCTION queue_skip_threshold(p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer)
COMMENT ON FUNCTION public.queue_skip_threshold(p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer) IS 'Skip votes needed to skip the playing track (pure): NULL when off; percent of present listeners; or ceil(factor * ln(present + 1)), which keeps big rooms able to skip (161 listeners, factor 3: 16 votes).
Example: const { data } = await supabase.rpc(''queue_skip_threshold'', { p_mode: ''log'', p_percent: 50, p_log_factor: 3, p_present: 161 })';

-- ACL: FUNCTION queue_skip_threshold(p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer)
REVOKE ALL ON FUNCTION public.queue_skip_threshold(p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.queue_skip_threshold(p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer) TO authenticated;
