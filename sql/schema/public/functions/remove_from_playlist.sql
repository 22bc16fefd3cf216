-- FUNCTION: remove_from_playlist(uuid, uuid)
CREATE FUNCTION public.remove_from_playlist(p_playlist_id uuid, p_track_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_position integer;
begin
  perform hidden.require_user();
  perform 1 from public.playlists as p where p.id = p_playlist_id for update;
  delete from public.playlist_tracks as t where t.playlist_id = p_playlist_id and t.track_id = p_track_id
  returning t.position into v_position;
  if v_position is null then
    return false;
  end if;
  update public.playlist_tracks as t set position = t.position - 1
  where t.playlist_id = p_playlist_id and t.position > v_position;
  return true;
end
$$;

-- COMMENT: FUNCTION remove_from_playlist(p_playlist_id uuid, p_track_id uuid)
COMMENT ON FUNCTION public.remove_from_playlist(p_playlist_id uuid, p_track_id uuid) IS 'Remove a track from your playlist, closing the gap. Returns whether it was there.
Errors: LOGIN.
Example: await supabase.rpc(''remove_from_playlist'', { p_playlist_id: pl, p_track_id: tr })';

-- ACL: FUNCTION remove_from_playlist(p_playlist_id uuid, p_track_id uuid)
REVOKE ALL ON FUNCTION public.remove_from_playlist(p_playlist_id uuid, p_track_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.remove_from_playlist(p_playlist_id uuid, p_track_id uuid) TO authenticated;
