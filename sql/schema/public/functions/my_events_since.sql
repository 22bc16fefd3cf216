-- FUNCTION: my_events_since(bigint, integer)
CREATE FUNCTION public.my_events_since(p_after_seq bigint, p_limit integer DEFAULT 100) RETURNS json
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return hidden.read_topic('user:' || auth.uid(), p_after_seq, p_limit, null, null);
end
$$;

-- COMMENT: FUNCTION my_events_since(p_after_seq bigint, p_limit integer)
COMMENT ON FUNCTION public.my_events_since(p_after_seq bigint, p_limit integer) IS 'Your personal events (user:<you>) after p_after_seq: {events, last_seq, has_more, resync_needed}.
Errors: 42501 (HTTP 401) without a signed-in user.
Example: const { data } = await supabase.rpc(''my_events_since'', { p_after_seq: lastSeq })';

-- ACL: FUNCTION my_events_since(p_after_seq bigint, p_limit integer)
REVOKE ALL ON FUNCTION public.my_events_since(p_after_seq bigint, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.my_events_since(p_after_seq bigint, p_limit integer) TO authenticated;
