-- FUNCTION: get_invite_code(uuid)
CREATE FUNCTION public.get_invite_code(p_session_id uuid) RETURNS text
    LANGUAGE sql
    SET search_path TO ''
    AS $$ select hidden.invite_code(p_session_id, false) $$;

-- COMMENT: FUNCTION get_invite_code(p_session_id uuid)
COMMENT ON FUNCTION public.get_invite_code(p_session_id uuid) IS 'The invite code of a private session, for the DJ and moderators to share.
Errors: P0002; 42501 not the DJ or a moderator; STATE not private.
Example: const { data: code } = await supabase.rpc(''get_invite_code'', { p_session_id: id })';

-- ACL: FUNCTION get_invite_code(p_session_id uuid)
REVOKE ALL ON FUNCTION public.get_invite_code(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_invite_code(p_session_id uuid) TO authenticated;
