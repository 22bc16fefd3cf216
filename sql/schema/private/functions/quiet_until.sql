-- FUNCTION: quiet_until(uuid, timestamp with time zone)
CREATE FUNCTION private.quiet_until(p_user_id uuid, p_at timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select case
    when (q.quiet_start <= q.quiet_end and q.t >= q.quiet_start and q.t < q.quiet_end)
      or (q.quiet_start > q.quiet_end and (q.t >= q.quiet_start or q.t < q.quiet_end))
    then (q.day + q.quiet_end + case when q.quiet_end <= q.t then interval '1 day' else interval '0' end)
      at time zone q.time_zone
  end
  from (
    select p.quiet_start, p.quiet_end, p.time_zone,
      (p_at at time zone p.time_zone)::time as t, (p_at at time zone p.time_zone)::date as day
    from public.push_preferences as p
    where p.user_id = p_user_id and p.quiet_start is not null
  ) as q
$$;

-- COMMENT: FUNCTION quiet_until(p_user_id uuid, p_at timestamp with time zone)
COMMENT ON FUNCTION private.quiet_until(p_user_id uuid, p_at timestamp with time zone) IS 'When the user''s quiet hours around p_at end, or NULL if p_at is outside them (or they have none).';

-- ACL: FUNCTION quiet_until(p_user_id uuid, p_at timestamp with time zone)
REVOKE ALL ON FUNCTION private.quiet_until(p_user_id uuid, p_at timestamp with time zone) FROM PUBLIC;
