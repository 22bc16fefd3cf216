-- FUNCTION: add_blocked_term(text, public.term_action, uuid)
CREATE FUNCTION public.add_blocked_term(p_term text, p_action public.term_action DEFAULT 'reject'::public.term_action, p_dj_id uuid DEFAULT NULL::uuid) RETURNS public.dj_blocked_terms
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_dj uuid := coalesce(p_dj_id, hidden.require_user());
  v_row public.dj_blocked_terms;
begin
  insert into public.dj_blocked_terms (dj_id, term, action) values (v_dj, lower(btrim(p_term)), p_action)
  on conflict (dj_id, term) do update set action = excluded.action
  returning * into v_row;
  return v_row;
exception
  when check_violation then
    raise exception 'A blocked term is 2 to 64 characters.' using errcode = '22023', hint = 'Use a shorter phrase.';
  when insufficient_privilege then
    raise exception 'Only the DJ and their moderators manage blocked terms.' using errcode = '42501', hint = 'Ask the DJ.';
end
$$;

-- COMMENT: FUNCTION add_blocked_term(p_term text, p_action public.term_action, p_dj_id uuid)
COMMENT ON FUNCTION public.add_blocked_term(p_term text, p_action public.term_action, p_dj_id uuid) IS 'Block a word or phrase in a DJ''s chat (your own by default): reject messages containing it, or hold them for a moderator. Adding it again changes the action. Returns the term.
Errors: LOGIN; 42501; 22023.
Example: await supabase.rpc(''add_blocked_term'', { p_term: ''spoiler'', p_action: ''hold'' })';

-- ACL: FUNCTION add_blocked_term(p_term text, p_action public.term_action, p_dj_id uuid)
REVOKE ALL ON FUNCTION public.add_blocked_term(p_term text, p_action public.term_action, p_dj_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.add_blocked_term(p_term text, p_action public.term_action, p_dj_id uuid) TO authenticated;
