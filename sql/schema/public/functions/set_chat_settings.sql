-- FUNCTION: set_chat_settings(uuid, integer, integer, boolean, boolean)
CREATE FUNCTION public.set_chat_settings(p_session_id uuid, p_slow_mode_seconds integer DEFAULT 0, p_followers_only_minutes integer DEFAULT NULL::integer, p_subscribers_only boolean DEFAULT false, p_emote_only boolean DEFAULT false) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s
  set slow_mode_seconds = coalesce(p_slow_mode_seconds, 0), followers_only_minutes = p_followers_only_minutes,
    subscribers_only = coalesce(p_subscribers_only, false), emote_only = coalesce(p_emote_only, false)
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;

-- COMMENT: FUNCTION set_chat_settings(p_session_id uuid, p_slow_mode_seconds integer, p_followers_only_minutes integer, p_subscribers_only boolean, p_emote_only boolean)
COMMENT ON FUNCTION public.set_chat_settings(p_session_id uuid, p_slow_mode_seconds integer, p_followers_only_minutes integer, p_subscribers_only boolean, p_emote_only boolean) IS 'Set the chat modes (they combine): slow mode seconds (0 off), followers-only minimum follow age in minutes (null off, 0 any follower), subscribers-only, emote-only. DJ or moderators. Returns the session.
Errors: LOGIN; P0002; 42501; ENDED; 22023.
Example: await supabase.rpc(''set_chat_settings'', { p_session_id: id, p_slow_mode_seconds: 30 })';

-- ACL: FUNCTION set_chat_settings(p_session_id uuid, p_slow_mode_seconds integer, p_followers_only_minutes integer, p_subscribers_only boolean, p_emote_only boolean)
REVOKE ALL ON FUNCTION public.set_chat_settings(p_session_id uuid, p_slow_mode_seconds integer, p_followers_only_minutes integer, p_subscribers_only boolean, p_emote_only boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.set_chat_settings(p_session_id uuid, p_slow_mode_seconds integer, p_followers_only_minutes integer, p_subscribers_only boolean, p_emote_only boolean) TO authenticated;
