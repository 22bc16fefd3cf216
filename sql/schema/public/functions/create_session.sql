-- FUNCTION: create_session(text, text, text[], public.session_visibility, timestamp with time zone, boolean, text)
CREATE FUNCTION public.create_session(p_title text, p_description text DEFAULT ''::text, p_genre_tags text[] DEFAULT '{}'::text[], p_visibility public.session_visibility DEFAULT 'public'::public.session_visibility, p_scheduled_for timestamp with time zone DEFAULT NULL::timestamp with time zone, p_start_now boolean DEFAULT false, p_cover_url text DEFAULT NULL::text) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  insert into public.dj_sessions (title, description, genre_tags, visibility, scheduled_for, status, cover_url)
  values (p_title, coalesce(p_description, ''), coalesce(p_genre_tags, '{}'), p_visibility, p_scheduled_for,
    case when p_start_now then 'live' else 'scheduled' end::public.session_status, p_cover_url)
  returning * into v_row;
  return v_row;
exception
  when unique_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LIVE1',
        'You already have a live session.',
        'End it before going live with another one.'
      ),
      detail = hidden.api_response('LIVE1');
end
$$;

-- COMMENT: FUNCTION create_session(p_title text, p_description text, p_genre_tags text[], p_visibility public.session_visibility, p_scheduled_for timestamp with time zone, p_start_now boolean, p_cover_url text)
COMMENT ON FUNCTION public.create_session(p_title text, p_description text, p_genre_tags text[], p_visibility public.session_visibility, p_scheduled_for timestamp with time zone, p_start_now boolean, p_cover_url text) IS 'Create a session, scheduled (p_scheduled_for in the future) or live now (p_start_now). Private sessions get an invite code (get_invite_code). Returns the session.
Errors: LOGIN; ANONY guests; DJONL not a DJ; LIVE1 already live; 22023 invalid details.
Example: await supabase.rpc(''create_session'', { p_title: ''Friday house'', p_genre_tags: [''house''], p_start_now: true })';

-- ACL: FUNCTION create_session(p_title text, p_description text, p_genre_tags text[], p_visibility public.session_visibility, p_scheduled_for timestamp with time zone, p_start_now boolean, p_cover_url text)
REVOKE ALL ON FUNCTION public.create_session(p_title text, p_description text, p_genre_tags text[], p_visibility public.session_visibility, p_scheduled_for timestamp with time zone, p_start_now boolean, p_cover_url text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.create_session(p_title text, p_description text, p_genre_tags text[], p_visibility public.session_visibility, p_scheduled_for timestamp with time zone, p_start_now boolean, p_cover_url text) TO authenticated;
