-- FUNCTION: regenerate_invite_code(uuid)
CREATE FUNCTION public.regenerate_invite_code(p_session_id uuid) RETURNS text
    LANGUAGE sql
    SET search_path TO ''
    AS $$ select hidden.invite_code(p_session_id, true) $$;

-- COMMENT: FUNCTION regenerate_invite_code(p_session_id uuid)
COMMENT ON FUNCTION public.regenerate_invite_code(p_session_id uuid) IS 'Replace a private session''s invite code (the old one stops working; members stay). Returns the new code.
Errors: P0002; 42501; STATE not private.
Example: await supabase.rpc(''regenerate_invite_code'', { p_session_id: id })';

-- ACL: FUNCTION regenerate_invite_code(p_session_id uuid)
REVOKE ALL ON FUNCTION public.regenerate_invite_code(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.regenerate_invite_code(p_session_id uuid) TO authenticated;
