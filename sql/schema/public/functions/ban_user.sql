-- FUNCTION: ban_user(uuid, uuid, text, integer)
CREATE FUNCTION public.ban_user(p_dj_id uuid, p_user_id uuid, p_reason text DEFAULT ''::text, p_timeout_seconds integer DEFAULT NULL::integer) RETURNS public.dj_bans
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_bans;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_dj(p_dj_id) then
    raise exception 'Only the DJ and their moderators can ban here.' using errcode = '42501', hint = 'Report the user instead.';
  end if;
  -- A new ban or timeout replaces the active one of the same kind.
  update public.dj_bans as b set revoked_at = now()
  where b.dj_id = p_dj_id and b.user_id = p_user_id and b.revoked_at is null
    and b.kind = case when p_timeout_seconds is null then 'ban' else 'timeout' end::public.ban_kind;
  insert into public.dj_bans (dj_id, user_id, kind, reason, expires_at)
  values (p_dj_id, p_user_id, case when p_timeout_seconds is null then 'ban' else 'timeout' end::public.ban_kind,
    coalesce(p_reason, ''), now() + make_interval(secs => p_timeout_seconds))
  returning * into v_row;
  return v_row;
exception
  when foreign_key_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
end
$$;

-- COMMENT: FUNCTION ban_user(p_dj_id uuid, p_user_id uuid, p_reason text, p_timeout_seconds integer)
COMMENT ON FUNCTION public.ban_user(p_dj_id uuid, p_user_id uuid, p_reason text, p_timeout_seconds integer) IS 'Ban a user from a DJ''s channel (they leave its rooms and cannot join, chat, request or vote), or with p_timeout_seconds time them out (no chat, requests or votes until it expires, 1 s-14 days). DJ, their moderators or staff. Replaces an active ban/timeout of the same kind. Returns the ban.
Errors: LOGIN; 42501 not allowed (or target is the DJ/a moderator); SELFX; P0002; 22023 bad duration.
Example: await supabase.rpc(''ban_user'', { p_dj_id: djId, p_user_id: uid, p_reason: ''spam'', p_timeout_seconds: 600 })';

-- ACL: FUNCTION ban_user(p_dj_id uuid, p_user_id uuid, p_reason text, p_timeout_seconds integer)
REVOKE ALL ON FUNCTION public.ban_user(p_dj_id uuid, p_user_id uuid, p_reason text, p_timeout_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.ban_user(p_dj_id uuid, p_user_id uuid, p_reason text, p_timeout_seconds integer) TO authenticated;
