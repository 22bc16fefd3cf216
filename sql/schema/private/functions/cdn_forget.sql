-- FUNCTION: cdn_forget(text[], bigint[])
CREATE FUNCTION private.cdn_forget(p_topics text[], p_slots bigint[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_n integer;
begin
  delete from private.cdn_frames as f
  using unnest(p_topics, p_slots) as gone(topic, slot)
  where f.topic = gone.topic and f.slot = gone.slot;
  get diagnostics v_n = row_count;
  return v_n;
end
$$;

-- COMMENT: FUNCTION cdn_forget(p_topics text[], p_slots bigint[])
COMMENT ON FUNCTION private.cdn_forget(p_topics text[], p_slots bigint[]) IS 'Forget frames whose files the publisher deleted; returns how many.';

-- ACL: FUNCTION cdn_forget(p_topics text[], p_slots bigint[])
REVOKE ALL ON FUNCTION private.cdn_forget(p_topics text[], p_slots bigint[]) FROM PUBLIC;
