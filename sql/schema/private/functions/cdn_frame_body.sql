-- FUNCTION: cdn_frame_body(text, bigint, bigint, bigint, integer)
CREATE FUNCTION private.cdn_frame_body(p_topic text, p_slot bigint, p_from bigint, p_to bigint, p_max integer) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_events json;
begin
  if p_to - p_from <= p_max then
    select coalesce(json_agg(l.payload order by l.seq), '[]') into v_events
    from private.realtime_log as l where l.topic = p_topic and l.seq > p_from and l.seq <= p_to;
  end if;
  -- Past p_max entries (the publisher was away): no events; the app polls, which tells it to
  -- take a snapshot if it is that far behind.
  return json_build_object('v', 1, 'topic', p_topic, 'slot', p_slot, 'from_seq', p_from, 'to_seq', p_to,
    'events', coalesce(v_events, '[]'), 'resync_needed', v_events is null)::text;
end
$$;

-- COMMENT: FUNCTION cdn_frame_body(p_topic text, p_slot bigint, p_from bigint, p_to bigint, p_max integer)
COMMENT ON FUNCTION private.cdn_frame_body(p_topic text, p_slot bigint, p_from bigint, p_to bigint, p_max integer) IS 'A frame file''s JSON: {v, topic, slot, from_seq, to_seq, events (the log entries in (from_seq, to_seq], as stored), resync_needed (more than p_max: none carried, poll instead)}.';

-- ACL: FUNCTION cdn_frame_body(p_topic text, p_slot bigint, p_from bigint, p_to bigint, p_max integer)
REVOKE ALL ON FUNCTION private.cdn_frame_body(p_topic text, p_slot bigint, p_from bigint, p_to bigint, p_max integer) FROM PUBLIC;
