-- FUNCTION: session_supporters(uuid, integer)
CREATE FUNCTION public.session_supporters(p_session_id uuid, p_limit integer DEFAULT 10) RETURNS TABLE(tipper_id uuid, handle text, display_name text, currency text, total bigint, tips bigint)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  -- The session is looked up as the caller: RLS decides who may see its leaderboard.
  select s.* from hidden.session_supporters(p_session_id, p_limit) as s
  where exists (select 1 from public.dj_sessions as d where d.id = p_session_id)
$$;

-- COMMENT: FUNCTION session_supporters(p_session_id uuid, p_limit integer)
COMMENT ON FUNCTION public.session_supporters(p_session_id uuid, p_limit integer) IS 'The room''s supporters: tippers ranked by what they gave in this session (net of refunds), per currency, at most p_limit (1-100). Empty if you cannot see the session.
Example: const { data } = await supabase.rpc(''session_supporters'', { p_session_id: id, p_limit: 10 })';

-- ACL: FUNCTION session_supporters(p_session_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION public.session_supporters(p_session_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.session_supporters(p_session_id uuid, p_limit integer) TO authenticated;
