-- FUNCTION: rt_staff_tick_data(jsonb)
CREATE FUNCTION private.rt_staff_tick_data(p_events jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  -- The staff lane keeps every item: its tick is the waiting events themselves, in order.
  select jsonb_build_object(
    'chat', '[]'::jsonb, 'chat_omitted', 0, 'queue', '[]'::jsonb, 'queue_omitted', 0, 'votes', '[]'::jsonb,
    'votes_omitted', 0, 'top', null, 'listeners', null, 'reactions', null, 'skip', null,
    'events', coalesce(p_events, '[]'::jsonb)
  )
$$;

-- COMMENT: FUNCTION rt_staff_tick_data(p_events jsonb)
COMMENT ON FUNCTION private.rt_staff_tick_data(p_events jsonb) IS 'A staff lane''s tick: every waiting event, in order, none coalesced.';

-- ACL: FUNCTION rt_staff_tick_data(p_events jsonb)
REVOKE ALL ON FUNCTION private.rt_staff_tick_data(p_events jsonb) FROM PUBLIC;
