-- FUNCTION: announce(uuid, text)
CREATE FUNCTION public.announce(p_session_id uuid, p_body text) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.announce(p_session_id, p_body);
end
$$;

-- COMMENT: FUNCTION announce(p_session_id uuid, p_body text)
COMMENT ON FUNCTION public.announce(p_session_id uuid, p_body text) IS 'Pin an announcement to the room (the DJ, a co-host or the DJ''s moderators): everyone in the room gets it at once (session.announcement) and joiners find it in the snapshot. An empty body clears it. Returns the session.
Errors: LOGIN; P0002 no such session; 42501 not the DJ''s team; ENDED; MSGLN over 280 characters.
Example: await supabase.rpc(''announce'', { p_session_id: id, p_body: ''Back-to-back with @nova at 11!'' })';

-- ACL: FUNCTION announce(p_session_id uuid, p_body text)
REVOKE ALL ON FUNCTION public.announce(p_session_id uuid, p_body text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.announce(p_session_id uuid, p_body text) TO authenticated;
