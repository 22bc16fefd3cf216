-- FUNCTION: snag(uuid, uuid)
CREATE FUNCTION public.snag(p_session_id uuid, p_playlist_id uuid DEFAULT NULL::uuid) RETURNS public.playlist_tracks
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_track uuid;
  v_playlist uuid := p_playlist_id;
begin
  select q.track_id into v_track from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing';
  if v_track is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('IDLEQ', 'Nothing is playing to snag.', 'Snag while a track plays.'),
      detail = hidden.api_response('IDLEQ');
  end if;
  if v_playlist is null then
    insert into public.playlists (owner_id, name, is_snag_list) values (v_uid, 'Snagged', true)
    on conflict (owner_id) where is_snag_list do nothing;
    select p.id into v_playlist from public.playlists as p where p.owner_id = v_uid and p.is_snag_list;
  end if;
  return public.add_to_playlist(v_playlist, v_track);
end
$$;

-- COMMENT: FUNCTION snag(p_session_id uuid, p_playlist_id uuid)
COMMENT ON FUNCTION public.snag(p_session_id uuid, p_playlist_id uuid) IS 'Save the track playing in a session to a playlist (default: your "Snagged" playlist, created on first use). Idempotent. Returns the playlist entry.
Errors: LOGIN; IDLEQ nothing playing (or you cannot see the session); P0002 no such playlist.
Example: await supabase.rpc(''snag'', { p_session_id: id })';

-- ACL: FUNCTION snag(p_session_id uuid, p_playlist_id uuid)
REVOKE ALL ON FUNCTION public.snag(p_session_id uuid, p_playlist_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.snag(p_session_id uuid, p_playlist_id uuid) TO authenticated;
