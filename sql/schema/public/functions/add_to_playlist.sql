-- FUNCTION: add_to_playlist(uuid, uuid, integer)
CREATE FUNCTION public.add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer DEFAULT NULL::integer) RETURNS public.playlist_tracks
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.playlist_tracks;
  v_count integer;
begin
  perform hidden.require_user();
  if not exists (select 1 from public.playlists as p where p.id = p_playlist_id for update) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such playlist of yours.', 'Check the playlist id.'),
      detail = hidden.api_response('P0002');
  end if;
  select * into v_row from public.playlist_tracks as t where t.playlist_id = p_playlist_id and t.track_id = p_track_id;
  if v_row.track_id is not null then
    return v_row;  -- already there: idempotent
  end if;
  select count(*) into v_count from public.playlist_tracks as t where t.playlist_id = p_playlist_id;
  p_position := least(greatest(coalesce(p_position, v_count + 1), 1), v_count + 1);
  update public.playlist_tracks as t set position = t.position + 1
  where t.playlist_id = p_playlist_id and t.position >= p_position;
  insert into public.playlist_tracks (playlist_id, track_id, position) values (p_playlist_id, p_track_id, p_position)
  returning * into v_row;
  return v_row;
exception
  when foreign_key_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such track.', 'Check the track id.'),
      detail = hidden.api_response('P0002');
end
$$;

-- COMMENT: FUNCTION add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer)
COMMENT ON FUNCTION public.add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer) IS 'Add a track to one of your playlists at p_position (default: the end); idempotent. Returns the entry.
Errors: LOGIN; P0002 no such playlist or track.
Example: await supabase.rpc(''add_to_playlist'', { p_playlist_id: pl, p_track_id: tr })';

-- ACL: FUNCTION add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer)
REVOKE ALL ON FUNCTION public.add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer) TO authenticated;
