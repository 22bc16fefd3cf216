-- FUNCTION: remove_blocked_term(text, uuid)
CREATE FUNCTION public.remove_blocked_term(p_term text, p_dj_id uuid DEFAULT NULL::uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_dj uuid := coalesce(p_dj_id, hidden.require_user());
begin
  delete from public.dj_blocked_terms as t where t.dj_id = v_dj and t.term = lower(btrim(normalize(p_term, nfc)));
  return found;
end
$$;

-- COMMENT: FUNCTION remove_blocked_term(p_term text, p_dj_id uuid)
COMMENT ON FUNCTION public.remove_blocked_term(p_term text, p_dj_id uuid) IS 'Unblock a term (idempotent). Returns whether it was blocked.
Errors: LOGIN.
Example: await supabase.rpc(''remove_blocked_term'', { p_term: ''spoiler'' })';

-- ACL: FUNCTION remove_blocked_term(p_term text, p_dj_id uuid)
REVOKE ALL ON FUNCTION public.remove_blocked_term(p_term text, p_dj_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.remove_blocked_term(p_term text, p_dj_id uuid) TO authenticated;
