-- FUNCTION: react(uuid, text)
CREATE FUNCTION public.react(p_session_id uuid, p_emoji text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.react(p_session_id, p_emoji);
end
$$;

-- COMMENT: FUNCTION react(p_session_id uuid, p_emoji text)
COMMENT ON FUNCTION public.react(p_session_id uuid, p_emoji text) IS 'Send a reaction to the room (one of the setting reaction_emoji): a push room sees it at once, a crowd as counts in each tick (tick.reactions). Nothing is stored. Returns true.
Errors: LOGIN; 22023 not an offered reaction (details.allowed); NOTIN join first; RATEL too fast (details.retry_after_seconds).
Example: await supabase.rpc(''react'', { p_session_id: id, p_emoji: ''🔥'' })';

-- ACL: FUNCTION react(p_session_id uuid, p_emoji text)
REVOKE ALL ON FUNCTION public.react(p_session_id uuid, p_emoji text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.react(p_session_id uuid, p_emoji text) TO authenticated;
