-- FUNCTION: session_history(uuid, bigint, integer)
CREATE FUNCTION public.session_history(p_session_id uuid, p_before_id bigint DEFAULT NULL::bigint, p_limit integer DEFAULT 50) RETURNS SETOF public.session_plays
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select * from public.session_plays as p
  where p.session_id = p_session_id and (p_before_id is null or p.id < p_before_id)
  order by p.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200)
$$;

-- COMMENT: FUNCTION session_history(p_session_id uuid, p_before_id bigint, p_limit integer)
COMMENT ON FUNCTION public.session_history(p_session_id uuid, p_before_id bigint, p_limit integer) IS 'What played in a session, newest first, with its reception (votes, skip votes, outcome); also after it ended. Pass the last row''s id as p_before_id for the next page.
Example: const { data } = await supabase.rpc(''session_history'', { p_session_id: id })';

-- ACL: FUNCTION session_history(p_session_id uuid, p_before_id bigint, p_limit integer)
REVOKE ALL ON FUNCTION public.session_history(p_session_id uuid, p_before_id bigint, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.session_history(p_session_id uuid, p_before_id bigint, p_limit integer) TO authenticated;
