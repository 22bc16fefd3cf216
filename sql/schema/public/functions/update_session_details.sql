-- FUNCTION: update_session_details(uuid, text, text, text[], text, timestamp with time zone)
CREATE FUNCTION public.update_session_details(p_session_id uuid, p_title text, p_description text DEFAULT ''::text, p_genre_tags text[] DEFAULT '{}'::text[], p_cover_url text DEFAULT NULL::text, p_scheduled_for timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s
  set title = p_title, description = coalesce(p_description, ''), genre_tags = coalesce(p_genre_tags, '{}'),
    cover_url = p_cover_url, scheduled_for = coalesce(p_scheduled_for, s.scheduled_for)
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;

-- COMMENT: FUNCTION update_session_details(p_session_id uuid, p_title text, p_description text, p_genre_tags text[], p_cover_url text, p_scheduled_for timestamp with time zone)
COMMENT ON FUNCTION public.update_session_details(p_session_id uuid, p_title text, p_description text, p_genre_tags text[], p_cover_url text, p_scheduled_for timestamp with time zone) IS 'Replace a session''s title, description, tags and cover (and its planned start). DJ only. Returns the session.
Errors: LOGIN; P0002; 42501; ENDED; 22023 invalid details.
Example: await supabase.rpc(''update_session_details'', { p_session_id: id, p_title: ''Late night'' })';

-- ACL: FUNCTION update_session_details(p_session_id uuid, p_title text, p_description text, p_genre_tags text[], p_cover_url text, p_scheduled_for timestamp with time zone)
REVOKE ALL ON FUNCTION public.update_session_details(p_session_id uuid, p_title text, p_description text, p_genre_tags text[], p_cover_url text, p_scheduled_for timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.update_session_details(p_session_id uuid, p_title text, p_description text, p_genre_tags text[], p_cover_url text, p_scheduled_for timestamp with time zone) TO authenticated;
