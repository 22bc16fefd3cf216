-- FUNCTION: unban_user(uuid, uuid)
CREATE FUNCTION public.unban_user(p_dj_id uuid, p_user_id uuid) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_dj(p_dj_id) then
    raise exception 'Only the DJ and their moderators can lift bans here.' using errcode = '42501', hint = 'Ask the DJ.';
  end if;
  update public.dj_bans as b set revoked_at = now()
  where b.dj_id = p_dj_id and b.user_id = p_user_id and b.revoked_at is null
    and (b.expires_at is null or b.expires_at > now());
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- COMMENT: FUNCTION unban_user(p_dj_id uuid, p_user_id uuid)
COMMENT ON FUNCTION public.unban_user(p_dj_id uuid, p_user_id uuid) IS 'Lift a user''s active ban and timeout in a DJ''s channel. Returns how many were lifted (0: none active).
Errors: LOGIN; 42501.
Example: await supabase.rpc(''unban_user'', { p_dj_id: djId, p_user_id: uid })';

-- ACL: FUNCTION unban_user(p_dj_id uuid, p_user_id uuid)
REVOKE ALL ON FUNCTION public.unban_user(p_dj_id uuid, p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.unban_user(p_dj_id uuid, p_user_id uuid) TO authenticated;
