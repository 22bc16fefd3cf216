-- FUNCTION: rt_take_token(private.realtime_topics)
CREATE FUNCTION private.rt_take_token(p_topic private.realtime_topics) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_now timestamptz := private.rt_now();
  v_tokens double precision := least(p_topic.capacity,
    p_topic.tokens + greatest(extract(epoch from v_now - p_topic.refilled_at), 0) * p_topic.rate);
  -- Ten refills of 0.1 add up to 0.9999999999999999: a token is whole within a rounding error.
  v_whole boolean := v_tokens >= 1 - 1e-9;
begin
  update private.realtime_topics as t
  set tokens = case when v_whole then greatest(v_tokens - 1, 0) else v_tokens end, refilled_at = v_now
  where t.topic = p_topic.topic;
  return v_whole;
end
$$;

-- COMMENT: FUNCTION rt_take_token(p_topic private.realtime_topics)
COMMENT ON FUNCTION private.rt_take_token(p_topic private.realtime_topics) IS 'Spend one broadcast from the room''s bucket if one is available.';

-- ACL: FUNCTION rt_take_token(p_topic private.realtime_topics)
REVOKE ALL ON FUNCTION private.rt_take_token(p_topic private.realtime_topics) FROM PUBLIC;
